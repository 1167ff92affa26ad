package patterns

// Which parameters of a fn are Send slots, read from its tokens as the
// tree's model reads them (paramSlot): a parameter whose type is a type
// parameter, or an `impl ..`, whose bounds imply Send, or bound by
// `Fn(..) -> R` with such an R; or a parameter whose type is a Send box.
// The reading is looser than the model's in one way only: where the
// model asks for a Send bound or a Send box, the tokens ask for a Send
// word (sendWordIn) anywhere in the type or bounds. So an argument the
// model hands over lies at a position marked here, and an argument at a
// position no fn of its name marks (`run_future(fut)` with `F: Future`,
// `R: Send`) is handed to nothing.

// sendWordIn reports whether tokens [a, b] spell a Send word as the model
// reads one: `Send` or `BoxFuture` by any path, a trait or alias of the
// file (words) by its bare name only (the model looks a path with `::`
// up in no definition of the file: `Self::Future` is no alias).
func (fs *fileSyntax) sendWordIn(a, b int32, words map[string]bool) bool {
	for k := a; k <= b && int(k) < len(fs.toks); k++ {
		w := fs.identBytes(k)
		if w == nil || !words[string(w)] {
			continue
		}
		switch string(w) {
		case "Send", "BoxFuture":
			return true
		}
		if !fs.colons(k-1) && !fs.colons(k+2) {
			return true
		}
	}
	return false
}

// resultEnd returns the last token of the result type of signature s
// (from s.ret): before a `where` at the signature's level, or before the
// `{` or `;` that ends it.
func (fs *fileSyntax) resultEnd(s lexSig) int32 {
	up := fs.toks[s.from].up
	for k := s.ret; k < s.to; k++ {
		if p := fs.pair[k]; p > k {
			k = p
			continue
		}
		if fs.toks[k].up == up && fs.word(k, "where") {
			return k - 1
		}
	}
	return s.to - 1
}

// boundsIn adds to out the bounds written on a type parameter in tokens
// [a, b] (a generics list or a where clause, of a fn's signature or an
// impl's or trait's header), by the parameter's name: the tokens after
// `T:` to the `,`, `>`, `{`, `;` or `where` that ends them. Parameter
// lists and other groups are skipped; a left side that is a path
// (`S::Future: Send`) binds no parameter and is not read, as the model
// does not read it.
func (fs *fileSyntax) boundsIn(a, b int32, out map[string][][2]int32) {
	start := false // the token is where an entry may start
	for k := a; k <= b && int(k) < len(fs.toks); k++ {
		if p := fs.pair[k]; p > k {
			k, start = p, false
			continue
		}
		switch {
		case fs.is(k, '<') || fs.is(k, ',') || fs.word(k, "where"):
			start = true
			continue
		case fs.word(k, "for") && fs.is(k+1, '<'):
			k = fs.angleClose(k + 1) // `for<'a> F: ..`: F starts the entry
			start = true
			continue
		}
		if start && fs.toks[k].kind == tokIdent && fs.is(k+1, ':') && !fs.is(k+2, ':') {
			end := fs.boundEnd(k+2, b)
			name := fs.ident(k)
			out[name] = append(out[name], [2]int32{k + 2, end})
			k = end
		}
		start = false
	}
}

// boundEnd returns the last token of a list of bounds starting at token
// a (at most b).
func (fs *fileSyntax) boundEnd(a, b int32) int32 {
	angles := 0
	k := a
	for ; k <= b && int(k) < len(fs.toks); k++ {
		if p := fs.pair[k]; p > k {
			k = p
			continue
		} else if p >= 0 {
			break // the group around closes
		}
		switch {
		case fs.is(k, '<'):
			angles++
		case fs.is(k, '>') && !fs.is(k-1, '-'):
			if angles == 0 {
				return k - 1
			}
			angles--
		case angles == 0 && (fs.is(k, ',') || fs.is(k, ';') || fs.word(k, "where")):
			return k - 1
		}
	}
	return k - 1
}

// paramTypes returns the type of each parameter, [first, last] token, of
// the parameter list whose `(` is token open, self left out; ok is false
// when a parameter shows no type (a closure's, a macro's).
func (fs *fileSyntax) paramTypes(open int32) (out [][2]int32, ok bool) {
	for _, p := range fs.listItems(open, true) {
		colon := int32(-1)
		for k := p[0]; k <= p[1]; k++ {
			if q := fs.pair[k]; q > k {
				k = q
				continue
			}
			if fs.is(k, ':') && !fs.is(k+1, ':') && !fs.is(k-1, ':') {
				colon = k
				break
			}
		}
		if colon < 0 || colon == p[1] {
			if fs.spellsSelf(p[0], p[1]) && len(out) == 0 {
				continue // `self`, `&self`, `&'a mut self`
			}
			return nil, false
		}
		if fs.spellsSelf(p[0], colon-1) && len(out) == 0 {
			continue // `self: Pin<&mut Self>`
		}
		out = append(out, [2]int32{colon + 1, p[1]})
	}
	return out, true
}

// spellsSelf reports whether tokens [a, b] are a self parameter's
// pattern: `self` after any of `&`, a lifetime, `mut`.
func (fs *fileSyntax) spellsSelf(a, b int32) bool {
	for k := a; k < b; k++ {
		if !fs.is(k, '&') && !fs.is(k, '\'') && !fs.word(k, "mut") && fs.toks[k].kind != tokIdent {
			return false
		}
	}
	return fs.word(b, "self")
}

// listItems returns the items, [first, last] token, of the list whose
// bracket is token open, split at its commas: those outside brackets,
// a turbofish's or generics' angle brackets (types: angles counts every
// `<`; expressions: only `::<` and a qualified path's `<` at an item's
// start), and a closure's parameters.
func (fs *fileSyntax) listItems(open int32, types bool) [][2]int32 {
	var out [][2]int32
	close := fs.pair[open]
	from := open + 1
	angles := 0
	for k := open + 1; k <= close; k++ {
		if p := fs.pair[k]; p > k {
			k = p
			continue
		}
		switch {
		case types && fs.is(k, '<'):
			angles++
			continue
		case types && fs.is(k, '>') && !fs.is(k-1, '-') && angles > 0:
			angles--
			continue
		case !types && fs.is(k, '<') && (fs.colons(k-1) || fs.closureAt(from, k) || fs.is(k-1, '&')):
			k = fs.angleClose(k) // a turbofish, a qualified path's `<T as Tr>`
			continue
		case !types && fs.is(k, '|') && fs.closureAt(from, k):
			// A closure's parameters: to the `|` that ends them.
			for k++; k < close && !fs.is(k, '|'); k++ {
				if p := fs.pair[k]; p > k {
					k = p
				}
			}
			continue
		}
		if k == close || fs.is(k, ',') && angles == 0 {
			if k > from {
				out = append(out, [2]int32{from, k - 1})
			}
			from, angles = k+1, 0
		}
	}
	return out
}

// closureAt reports whether the `|` at token k opens a closure's
// parameters in the item starting at token from: it comes first, or
// after `move` or `async`.
func (fs *fileSyntax) closureAt(from, k int32) bool {
	j := from
	for j < k && (fs.word(j, "move") || fs.word(j, "async") || fs.word(j, "static")) {
		j++
	}
	return j == k
}

// paramSlots returns, for the parameters of signature s (self left
// out), whether each may be a Send slot (see above), with the bounds of
// its generics, its where clause and its impl's or trait's header (o,
// when owned); nil when the tokens cannot tell.
func (fs *fileSyntax) paramSlots(s lexSig, o lexOwner, owned bool, words map[string]bool) []bool {
	k := s.params
	if fs.is(k, '<') {
		k = fs.angleClose(k) + 1
	}
	if !fs.is(k, '(') || fs.pair[k] < k || fs.pair[k] > s.to {
		return nil
	}
	types, ok := fs.paramTypes(k)
	if !ok {
		return nil
	}
	bounds := map[string][][2]int32{}
	fs.boundsIn(s.from+2, s.to-1, bounds)
	if owned {
		fs.boundsIn(o.from+1, o.to-1, bounds)
	}
	implies := func(a, b int32) bool {
		if fs.sendWordIn(a, b, words) {
			return true
		}
		for j := a; j < b; j++ {
			// `Fn(..) -> R`: R's bounds.
			if fs.is(j, '-') && fs.is(j+1, '>') && fs.identBytes(j+2) != nil {
				for _, r := range bounds[fs.ident(j+2)] {
					if fs.sendWordIn(r[0], r[1], words) {
						return true
					}
				}
			}
		}
		return false
	}
	out := make([]bool, len(types))
	for i, t := range types {
		switch {
		case fs.sendWordIn(t[0], t[1], words):
			out[i] = true
		case t[0] == t[1] && fs.toks[t[0]].kind == tokIdent:
			for _, b := range bounds[fs.ident(t[0])] {
				out[i] = out[i] || implies(b[0], b[1])
			}
		case fs.word(t[0], "impl"):
			out[i] = implies(t[0]+1, t[1])
		}
	}
	return out
}

// slotArgs returns the arguments, [first, last] token, of the call whose
// name is token k and whose `(` is token open that may go to a Send slot
// of one of fns (the fns of the file the call may mean): by position,
// self counted for a method called by its path (`Type::f(x, ..)`). Where
// no fn of fns takes as many arguments as the call gives (a misreading),
// or a fn's slots are unknown, every argument counts.
func (fs *fileSyntax) slotArgs(k, open int32, fns []slotFn) [][2]int32 {
	args := fs.listItems(open, false)
	path := !fs.is(k-1, '.')
	fits := false
	for _, f := range fns {
		if f.params == nil {
			return args
		}
		fits = fits || len(f.params)+int(b2i(path && f.method)) == len(args)
	}
	if !fits {
		return args
	}
	var out [][2]int32
	for i, a := range args {
		for _, f := range fns {
			j := i - int(b2i(path && f.method))
			if j >= 0 && j < len(f.params) && f.params[j] {
				out = append(out, a)
				break
			}
		}
	}
	return out
}
