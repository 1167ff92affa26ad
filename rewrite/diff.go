package rewrite

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// contextLines is the number of unchanged lines shown around each change,
// as `diff -u` and `git diff` do by default.
const contextLines = 3

// lineOp is one line of a line diff: kind is ' ' (kept), '-' (removed) or
// '+' (added); text is the line with its "\n" when it has one, and any "\r"
// before it, so that CRLF files survive the diff byte for byte.
type lineOp struct {
	kind byte
	text string
}

// Unified returns a unified diff turning old into new, with `--- a/PATH`
// and `+++ b/PATH` headers, three lines of context and hunks merged when
// their contexts touch or overlap, in the format of `diff -u` (hunk
// header conventions included), so that `git apply` and `patch -p1` run in
// the directory path is relative to reproduce new byte for byte. A line
// without a final newline is followed by `\ No newline at end of file`.
// Unified returns nil when old and new are equal.
func Unified(path string, old, new []byte) []byte {
	if bytes.Equal(old, new) {
		return nil
	}
	ops := lineDiff(string(old), string(new))
	var b bytes.Buffer
	name := headerName(path)
	b.WriteString("--- " + quotePath("a/"+path) + name + "\n")
	b.WriteString("+++ " + quotePath("b/"+path) + name + "\n")
	writeHunks(&b, ops)
	return b.Bytes()
}

// headerName returns what follows the file names on the header lines: a
// tab when the name holds a space, which git also emits, because
// traditional patch readers otherwise take the text after the first space
// for a timestamp.
func headerName(path string) string {
	if strings.ContainsRune(path, ' ') {
		return "\t"
	}
	return ""
}

// quotePath quotes a header name in C style, as git and GNU diff do, when it
// holds a double quote, a backslash or a control character; such names
// would otherwise be misread by patch readers.
func quotePath(name string) string {
	needs := false
	for i := 0; i < len(name); i++ {
		if c := name[i]; c == '"' || c == '\\' || c < 0x20 || c == 0x7f {
			needs = true
			break
		}
	}
	if !needs {
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\v':
			b.WriteString(`\v`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c < 0x20 || c == 0x7f {
				b.WriteByte('\\')
				b.WriteString(strconv.FormatInt(int64(c)>>6&7, 8))
				b.WriteString(strconv.FormatInt(int64(c)>>3&7, 8))
				b.WriteString(strconv.FormatInt(int64(c)&7, 8))
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// lineDiff returns the line diff of old and new. Within each run of
// changes, removed lines come before added ones, as in `diff -u`.
func lineDiff(old, new string) []lineOp {
	dmp := diffmatchpatch.New()
	// No time limit: a deadline would make the diff depend on machine
	// load, and sendfix's output must be deterministic.
	dmp.DiffTimeout = 0
	a, b, lines := dmp.DiffLinesToChars(old, new)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)

	var ops, del, ins []lineOp
	flush := func() {
		ops = append(append(ops, del...), ins...)
		del, ins = del[:0], ins[:0]
	}
	for _, d := range diffs {
		for _, l := range splitLines(d.Text) {
			switch d.Type {
			case diffmatchpatch.DiffEqual:
				flush()
				ops = append(ops, lineOp{' ', l})
			case diffmatchpatch.DiffDelete:
				del = append(del, lineOp{'-', l})
			case diffmatchpatch.DiffInsert:
				ins = append(ins, lineOp{'+', l})
			}
		}
	}
	flush()
	return ops
}

// splitLines splits s after each "\n"; the last line lacks one when s does
// not end with a newline. Carriage returns stay part of their line.
func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// writeHunks prints the hunks of ops. Two changes separated by at most
// 2*contextLines kept lines share one hunk, as in `diff -u`.
func writeHunks(b *bytes.Buffer, ops []lineOp) {
	// oldAt[k] and newAt[k] count the old and new lines before ops[k].
	oldAt := make([]int, len(ops)+1)
	newAt := make([]int, len(ops)+1)
	for k, op := range ops {
		oldAt[k+1], newAt[k+1] = oldAt[k], newAt[k]
		if op.kind != '+' {
			oldAt[k+1]++
		}
		if op.kind != '-' {
			newAt[k+1]++
		}
	}

	n := len(ops)
	i := 0
	for {
		for i < n && ops[i].kind == ' ' {
			i++
		}
		if i == n {
			return
		}
		start := max(i-contextLines, 0)
		end := i
		for {
			for end < n && ops[end].kind != ' ' {
				end++
			}
			kept := 0
			for end+kept < n && ops[end+kept].kind == ' ' {
				kept++
			}
			if end+kept < n && kept <= 2*contextLines {
				end += kept
				continue
			}
			end += min(kept, contextLines)
			break
		}

		oldN := oldAt[end] - oldAt[start]
		newN := newAt[end] - newAt[start]
		b.WriteString("@@ -")
		b.WriteString(hunkRange(oldAt[start], oldN))
		b.WriteString(" +")
		b.WriteString(hunkRange(newAt[start], newN))
		b.WriteString(" @@\n")
		for _, op := range ops[start:end] {
			b.WriteByte(op.kind)
			b.WriteString(op.text)
			if !strings.HasSuffix(op.text, "\n") {
				b.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = end
	}
}

// hunkRange formats one side of a hunk header the way GNU diff does: the
// count is left out when it is 1, and an empty range names the line before
// it (0 at the top of the file).
func hunkRange(before, count int) string {
	switch count {
	case 0:
		return strconv.Itoa(before) + ",0"
	case 1:
		return strconv.Itoa(before + 1)
	}
	return strconv.Itoa(before+1) + "," + strconv.Itoa(count)
}

// ANSI escape sequences used by Colorize.
const (
	ansiReset = "\x1b[m"
	ansiBold  = "\x1b[1m"
	ansiRed   = "\x1b[31m"
	ansiGreen = "\x1b[32m"
	ansiCyan  = "\x1b[36m"
)

// Colorize returns diff, one or more concatenated outputs of Unified, with
// ANSI colours for a terminal: file headers bold, hunk headers cyan,
// removed lines red and added lines green. It follows the hunk line counts,
// so a removed line whose text starts with "-- " is still coloured as a
// removed line and not taken for a header.
func Colorize(diff []byte) []byte {
	var b bytes.Buffer
	oldLeft, newLeft := 0, 0
	for len(diff) > 0 {
		line, hasNL := diff, false
		if i := bytes.IndexByte(diff, '\n'); i >= 0 {
			line, diff, hasNL = diff[:i], diff[i+1:], true
		} else {
			diff = nil
		}

		var colour string
		inHunk := oldLeft > 0 || newLeft > 0
		switch {
		case inHunk && len(line) == 0, inHunk && line[0] == ' ':
			oldLeft--
			newLeft--
		case inHunk && line[0] == '-':
			colour = ansiRed
			oldLeft--
		case inHunk && line[0] == '+':
			colour = ansiGreen
			newLeft--
		case len(line) == 0 || line[0] == '\\':
		case bytes.HasPrefix(line, []byte("@@ ")):
			colour = ansiCyan
			oldLeft, newLeft = parseHunkHeader(line)
		case bytes.HasPrefix(line, []byte("--- ")), bytes.HasPrefix(line, []byte("+++ ")):
			colour = ansiBold
		case line[0] == '-':
			colour = ansiRed
		case line[0] == '+':
			colour = ansiGreen
		}
		body, cr := line, []byte(nil)
		if bytes.HasSuffix(body, []byte("\r")) {
			body, cr = body[:len(body)-1], body[len(body)-1:]
		}
		if colour != "" && len(body) > 0 {
			b.WriteString(colour)
			b.Write(body)
			b.WriteString(ansiReset)
		} else {
			b.Write(body)
		}
		b.Write(cr)
		if hasNL {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// parseHunkHeader returns the old and new line counts of an "@@ -l,n +l,n @@"
// line, or zeros when it cannot read them.
func parseHunkHeader(line []byte) (oldN, newN int) {
	f := strings.Fields(string(line))
	if len(f) < 4 || f[0] != "@@" || f[3] != "@@" || !strings.HasPrefix(f[1], "-") || !strings.HasPrefix(f[2], "+") {
		return 0, 0
	}
	count := func(r string) int {
		_, c, ok := strings.Cut(r[1:], ",")
		if !ok {
			return 1
		}
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	return count(f[1]), count(f[2])
}
