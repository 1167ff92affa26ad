package patterns

import (
	"reflect"
	"slices"
	"testing"
)

// TestLookSeedsAgree: LookSeeds gives what Look and HandOffSeeds give
// apart, on the golden inputs and Debian's sources as one run over each
// would see them (an Index of all the files, the candidate keys of all
// the files), under the default rules and with every async fn
// Send-required.
func TestLookSeedsAgree(t *testing.T) {
	for _, set := range []struct {
		name  string
		files []string
	}{{"golden", goldenInputs(t)}, {"corpus", corpusFiles(t)}} {
		t.Run(set.name, func(t *testing.T) {
			files := set.files
			srcs := make([][]byte, len(files))
			sums := make([]*Summary, len(files))
			keys := map[string]bool{}
			for i, p := range files {
				srcs[i] = mustRead(t, p)
				sums[i] = SummarizeLater(p, srcs[i], nil)
				for _, k := range GuardFnCandidates(srcs[i]) {
					keys[k] = true
				}
			}
			ix := NewIndex(sums...)
			all := DefaultConfig()
			all.AllAsync = true
			checked := 0
			for _, cfg := range []Config{DefaultConfig(), all} {
				for i, p := range files {
					if !MayMatch(srcs[i], cfg) {
						continue
					}
					called, may := ix.Look(p, srcs[i], keys, cfg)
					seeds := ix.HandOffSeeds(p, srcs[i], keys, cfg)
					for _, both := range [][2]bool{{true, true}, {true, false}, {false, true}} {
						c, m, s := ix.LookSeeds(p, srcs[i], keys, cfg, both[0], both[1])
						if both[0] && (!slices.Equal(c, called) || m != may) {
							t.Errorf("%s (AllAsync %v, %v): LookSeeds looks %v %v, Look %v %v", p, cfg.AllAsync, both, c, m, called, may)
						}
						if both[1] && !reflect.DeepEqual(s, seeds) {
							t.Errorf("%s (AllAsync %v, %v): LookSeeds seeds %+v, HandOffSeeds %+v", p, cfg.AllAsync, both, s, seeds)
						}
					}
					if may || len(seeds.Keys) > 0 {
						checked++
					}
				}
			}
			if checked == 0 {
				t.Fatal("no file had a look or seeds: the test compares nothing")
			}
			t.Logf("%d files with a look or seeds", checked)
		})
	}
}
