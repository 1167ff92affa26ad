package cli

// The --json output is one JSON document on standard output, written as
// the files are processed (the files array streams; nothing else is held):
//
//	{
//	  "version": 1,                  // schema version; bumped on incompatible change
//	  "mode": "dry-run",             // "dry-run", "write" or "stdin"
//	  "check": false,                // --check was given
//	  "files": [                     // sorted by path; only files with a finding,
//	    {                            // a change, a warning or an error
//	      "path": "src/a.rs",        // slash path relative to the current directory
//	      "changed": true,           // the fixes change the file's bytes
//	      "written": false,          // the new bytes were written (only with --write)
//	      "findings": [              // in source order; may be empty
//	        {
//	          "rule": "mutex-scope", // mutex-scope, tokio-mutex or rc-arc
//	          "line": 12,            // 1-based
//	          "column": 9,           // 1-based, in characters
//	          "name": "guard",       // the binding concerned, when there is one
//	          "await": {"line": 14, "column": 20},  // the await point, when there is one
//	          "message": "std MutexGuard `guard` is held across an .await",
//	          "fixed": true,
//	          "fix": "scoped the guard in a block",  // when fixed
//	          "reason": "..."        // why not, when not fixed
//	        }
//	      ],
//	      "warnings": ["cannot parse line 40"],  // omitted when none
//	      "error": "not UTF-8 text (invalid byte at offset 3)"  // omitted when none
//	    }
//	  ],
//	  "errors": [                    // every error of the run, files and
//	    {"path": "src/b.rs", "error": "permission denied"}  // directories; [] when none
//	  ],
//	  "summary": {
//	    "files_scanned": 40,         // files read and run through the rules
//	    "files_changed": 1,          // files whose bytes change (or would)
//	    "files_written": 0,          // files written (with --write)
//	    "errors": 0,
//	    "fixed": {"mutex-scope": 1}, // fixes applied (or that would be), by rule
//	    "unfixed": {"guard is used after the await": 2},  // findings left, by reason
//	    "suppressed": 0,             // findings silenced by `// sendfix:ignore` or
//	                                 // #[allow(clippy::await_holding_lock)] (not in "files")
//	    "interrupted": false         // SIGINT or SIGTERM stopped the run early
//	  }
//	}
//
// Numbers in "unfixed" reasons are replaced by N so that like reasons
// group; each finding's own "reason" is exact.

import (
	"encoding/json"
	"io"
	"sort"
	"strconv"

	"sendfix/patterns"
)

const jsonVersion = 1

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

type jsonFinding struct {
	Rule    string   `json:"rule"`
	Line    int      `json:"line"`
	Column  int      `json:"column"`
	Name    string   `json:"name,omitempty"`
	Await   *jsonPos `json:"await,omitempty"`
	Message string   `json:"message"`
	Fixed   bool     `json:"fixed"`
	Fix     string   `json:"fix,omitempty"`
	Reason  string   `json:"reason,omitempty"`
	Notes   []string `json:"notes,omitempty"`
	// Site and Tried are --cargo's: the Send failure rustc reported that
	// the finding answers, and the candidate fixes tried for it.
	Site  *jsonSite     `json:"site,omitempty"`
	Tried []jsonAttempt `json:"tried,omitempty"`
}

type jsonSite struct {
	Line   int      `json:"line"`
	Column int      `json:"column"`
	Kind   string   `json:"kind"` // held, captured or body
	Type   string   `json:"type,omitempty"`
	Inner  string   `json:"inner,omitempty"`
	Struct string   `json:"struct,omitempty"`
	Await  *jsonPos `json:"await,omitempty"`
}

type jsonAttempt struct {
	Rung    string `json:"rung"`
	Fix     string `json:"fix"`
	Verdict string `json:"verdict"`
	Kept    bool   `json:"kept"`
}

// siteKinds name a site's kind in JSON.
var siteKinds = map[patterns.SiteKind]string{patterns.SiteHeld: "held", patterns.SiteCaptured: "captured", patterns.SiteBody: "body"}

type jsonFile struct {
	Path     string        `json:"path"`
	Changed  bool          `json:"changed"`
	Written  bool          `json:"written"`
	Findings []jsonFinding `json:"findings"`
	Warnings []string      `json:"warnings,omitempty"`
	Error    string        `json:"error,omitempty"`
}

type jsonError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

type jsonSummary struct {
	FilesScanned int            `json:"files_scanned"`
	FilesChanged int            `json:"files_changed"`
	FilesWritten int            `json:"files_written"`
	Errors       int            `json:"errors"`
	Fixed        map[string]int `json:"fixed"`
	Unfixed      map[string]int `json:"unfixed"`
	Suppressed   int            `json:"suppressed"`
	Interrupted  bool           `json:"interrupted"`
	Cargo        *cargoStats    `json:"cargo,omitempty"` // --cargo: rounds, builds, time
}

func toJSONFindings(fs []patterns.Finding) []jsonFinding {
	out := make([]jsonFinding, 0, len(fs))
	for _, f := range fs {
		j := jsonFinding{
			Rule: f.Rule, Line: f.Pos.Line, Column: f.Pos.Col, Name: f.Name,
			Message: f.Message, Fixed: f.Fixed, Fix: f.Fix, Reason: f.Reason, Notes: f.Notes,
		}
		if f.Await != nil {
			j.Await = &jsonPos{f.Await.Line, f.Await.Col}
		}
		if s := f.Site; s != nil {
			j.Site = &jsonSite{Line: s.Line, Column: s.Col, Kind: siteKinds[s.Kind], Type: s.Type, Inner: s.Inner, Struct: s.Struct}
			if s.AwaitLine > 0 {
				j.Site.Await = &jsonPos{s.AwaitLine, s.AwaitCol}
			}
		}
		for _, a := range f.Tried {
			j.Tried = append(j.Tried, jsonAttempt{Rung: a.Rung.String(), Fix: a.Fix, Verdict: a.Verdict, Kept: a.Kept})
		}
		out = append(out, j)
	}
	return out
}

// jsonWriter streams the document: the header at start, one object per
// file as the files come, errors and summary at the end.
type jsonWriter struct {
	w     io.Writer
	n     int
	errs  []jsonError
	err   error
	write func(b []byte)
}

func newJSONWriter(w io.Writer, mode string, check bool) *jsonWriter {
	j := &jsonWriter{w: w}
	j.write = func(b []byte) {
		if j.err == nil {
			_, j.err = j.w.Write(b)
		}
	}
	head, _ := json.Marshal(mode)
	c := "false"
	if check {
		c = "true"
	}
	j.write([]byte("{\n  \"version\": " + strconv.Itoa(jsonVersion) + ",\n  \"mode\": " + string(head) + ",\n  \"check\": " + c + ",\n  \"files\": ["))
	return j
}

func (j *jsonWriter) file(f jsonFile) {
	if f.Findings == nil {
		f.Findings = []jsonFinding{}
	}
	b, _ := json.MarshalIndent(f, "    ", "  ")
	if j.n > 0 {
		j.write([]byte(","))
	}
	j.n++
	j.write([]byte("\n    "))
	j.write(b)
}

func (j *jsonWriter) error(path, msg string) {
	j.errs = append(j.errs, jsonError{path, msg})
}

func (j *jsonWriter) finish(s jsonSummary) error {
	if j.n > 0 {
		j.write([]byte("\n  "))
	}
	if j.errs == nil {
		j.errs = []jsonError{}
	}
	sort.SliceStable(j.errs, func(a, b int) bool { return j.errs[a].Path < j.errs[b].Path })
	errs, _ := json.MarshalIndent(j.errs, "  ", "  ")
	sum, _ := json.MarshalIndent(s, "  ", "  ")
	j.write([]byte("],\n  \"errors\": "))
	j.write(errs)
	j.write([]byte(",\n  \"summary\": "))
	j.write(sum)
	j.write([]byte("\n}\n"))
	return j.err
}
