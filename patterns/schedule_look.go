package patterns

// LookSeeds is Index.Look (when look) and HandOffSeeds (when seeds) of
// the file at path, from one reading of src's tokens: the schedule asks
// both of most files past MayMatch before any hand-off is parsed, and
// reading the tokens is most of either's cost. Look's answers hold for
// this Index; a schedule that builds another (hand-offs found) looks
// again.
func (ix *Index) LookSeeds(path string, src []byte, keys map[string]bool, cfg Config, look, seeds bool) (called []string, may bool, s Seeds) {
	if !look && !seeds || !ix.mayHoldSite(src, keys, cfg) {
		return nil, false, s
	}
	if seeds = seeds && MayMatch(src, cfg); seeds && len(cfg.Sites) > 0 {
		s.All, seeds = true, false
	}
	if !look && !seeds {
		return nil, false, s
	}
	fs := readFile(src)
	defer fs.release()
	if look {
		called, may = ix.lookAt(fs, path, src, keys, cfg)
	}
	if seeds {
		s = ix.seedsAt(fs, path, src, keys, cfg)
	}
	return called, may, s
}
