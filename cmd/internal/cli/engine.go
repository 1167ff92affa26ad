package cli

import "sendfix/patterns"

// engine is the part of *patterns.Engine the command uses. It is an
// interface so that tests can drive the whole pipeline with a fake.
// An engine is used by one goroutine at a time.
type engine interface {
	Summarize(path string, src []byte) *patterns.Summary
	Run(path string, src []byte) *patterns.Result
	Close()
}

// engineFactory makes one engine per worker. idx is nil for the summary
// phase, which needs no cross-file facts.
type engineFactory func(cfg patterns.Config, idx *patterns.Index) engine

// defaultEngine makes the engines of an App that was given none.
var defaultEngine engineFactory = newPatternsEngine

func newPatternsEngine(cfg patterns.Config, idx *patterns.Index) engine {
	return patterns.NewEngine(cfg, idx)
}
