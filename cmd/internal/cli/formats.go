package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"sendfix/patterns"
)

// Machine-read formats of the findings, chosen with --format. Each goes to
// standard output in place of the diff, as --json does; warnings, errors
// and the summary stay on standard error.
//
//	short   one line per finding: path:line:col: rule: message (fix: ..|not fixed: ..)
//	github  GitHub Actions workflow commands, one ::warning per finding
//	sarif   one SARIF 2.1.0 log for code-scanning uploads
//	json    cargo's JSON messages, one per line, with the fixes as
//	        rustc's suggestions (messages.go); also --message-format json

// formats lists the values of --format.
var formats = []string{"human", "short", "github", "sarif", "json"}

// messageFormats maps the values of --message-format, cargo's flag, to
// formats; json-diagnostic-rendered-ansi colours the rendered text.
var messageFormats = map[string]string{
	"human": "human", "short": "short", "json": "json", "json-diagnostic-rendered-ansi": "json",
}

// checkFormat validates --format and --message-format against each other
// and the other flags; given says --format was given.
func checkFormat(o *options, given bool) error {
	if mf := o.messageFormat; mf != "" {
		f, ok := messageFormats[mf]
		switch {
		case !ok:
			return usagef("--message-format must be one of human, short, json, json-diagnostic-rendered-ansi, not %q", mf)
		case given && o.format != f:
			return usagef("--format %s and --message-format %s cannot be used together", o.format, mf)
		}
		o.format = f
	}
	known := false
	for _, f := range formats {
		known = known || o.format == f
	}
	switch {
	case !known:
		return usagef("--format must be one of %s, not %q", strings.Join(formats, ", "), o.format)
	case o.format == "human":
		return nil
	case o.json:
		return usagef("--json and --format %s cannot be used together", o.format)
	case o.list:
		return usagef("--list and --format %s cannot be used together", o.format)
	case o.format == "json" && o.write:
		return usagef("--message-format json gives the fixes as suggestions against the files as they are, which --write changes: use one or the other")
	}
	return nil
}

// formatter writes the findings of each file in one format.
type formatter interface {
	file(w io.Writer, o *outcome)
	// finish ends the document.
	finish(w io.Writer) error
}

func newFormatter(a *App, o *options, r *report) formatter {
	switch o.format {
	case "short":
		return shortFormat{}
	case "github":
		return githubFormat{}
	case "sarif":
		return &sarifFormat{version: strings.TrimPrefix(a.versionString(), "sendfix ")}
	case "json":
		return &messageFormat{wd: r.wd, color: o.messageFormat == "json-diagnostic-rendered-ansi",
			pkgs: newPackages(), success: r.succeeded}
	}
	return nil
}

// status is the part of a one-line report that says what became of a
// finding.
func status(f patterns.Finding) string {
	tried := ""
	if len(f.Tried) > 0 {
		tried = "; tried: " + triedText(f)
	}
	for _, n := range f.Notes {
		tried += "; note: " + n
	}
	if f.Fixed {
		return "fix: " + f.Fix + tried // proposed or applied: the mode says which
	}
	return "not fixed: " + f.Reason + tried
}

type shortFormat struct{}

func (shortFormat) file(w io.Writer, o *outcome) {
	for _, f := range o.findings {
		fmt.Fprintf(w, "%s:%d:%d: %s: %s (%s)\n", o.given, f.Pos.Line, f.Pos.Col, f.Rule, oneLine(f.Message), oneLine(status(f)))
	}
}

func (shortFormat) finish(io.Writer) error { return nil }

// oneLine keeps a one-line format one line a finding.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

type githubFormat struct{}

// githubData escapes a workflow command's message.
func githubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// githubProperty escapes a workflow command's property value.
func githubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func (githubFormat) file(w io.Writer, o *outcome) {
	for _, f := range o.findings {
		end := ""
		if n := markWidth(o.src, f.Pos, f.Name); n > 0 {
			end = fmt.Sprintf(",endColumn=%d", f.Pos.Col+n)
		}
		fmt.Fprintf(w, "::warning file=%s,line=%d,col=%d%s,title=%s::%s\n",
			githubProperty(o.display), f.Pos.Line, f.Pos.Col, end, githubProperty("sendfix "+f.Rule),
			githubData(f.Message+"\n"+status(f)))
	}
}

func (githubFormat) finish(io.Writer) error { return nil }

// offsetOf returns the byte offset of a 1-based line and character
// column in src (after a BOM on line 1), or -1 when src has no such place.
func offsetOf(src []byte, line, col int) int {
	off := 0
	if bytes.HasPrefix(src, []byte("\xEF\xBB\xBF")) {
		off = 3
	}
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	for c := 1; c < col; c++ {
		if off >= len(src) || src[off] == '\n' {
			return -1
		}
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
	return off
}

// markWidth is the width in characters of what a finding points at, as it
// stands in src at p: name when the source has it there, the identifier
// there otherwise, 0 when neither (or src is unknown).
func markWidth(src []byte, p patterns.Pos, name string) int {
	off := offsetOf(src, p.Line, p.Col)
	if off < 0 {
		return 0
	}
	rest := src[off:]
	if name != "" && strings.HasPrefix(string(rest), name) && !strings.ContainsAny(name, "\n") {
		return utf8.RuneCountInString(name)
	}
	n := 0
	for len(rest) > 0 {
		r, size := utf8.DecodeRune(rest)
		if r != '_' && !isLetterOrDigit(r) {
			break
		}
		n++
		rest = rest[size:]
	}
	return n
}

func isLetterOrDigit(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127
}

// The SARIF 2.1.0 log: only the properties sendfix fills. Required by the
// schema: version, runs; run.tool.driver.name; result.message; a
// reportingDescriptor's id.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string        `json:"id"`
		Name                 string        `json:"name"`
		ShortDescription     sarifText     `json:"shortDescription"`
		FullDescription      sarifText     `json:"fullDescription"`
		Help                 sarifText     `json:"help"`
		DefaultConfiguration sarifRuleConf `json:"defaultConfiguration"`
	}
	sarifRuleConf struct {
		Level string `json:"level"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID           string            `json:"ruleId"`
		RuleIndex        int               `json:"ruleIndex"`
		Level            string            `json:"level"`
		Message          sarifText         `json:"message"`
		Locations        []sarifLocation   `json:"locations"`
		RelatedLocations []sarifLocation   `json:"relatedLocations,omitempty"`
		Properties       map[string]string `json:"properties"`
	}
	sarifLocation struct {
		ID               *int                  `json:"id,omitempty"`
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
		Message          *sarifText            `json:"message,omitempty"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndColumn   int `json:"endColumn,omitempty"`
	}
)

const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// sarifFormat collects the results and writes the log at the end: a SARIF
// log is one JSON document whose results sit inside the run.
type sarifFormat struct {
	version string
	results []sarifResult
}

// ruleIndex is each rule's place in the driver's rules array.
func ruleIndex(rule string) int {
	for i, r := range patterns.AllRules {
		if r == rule {
			return i
		}
	}
	return -1
}

// sarifURI turns a display path (slash-separated, relative to the current
// directory) into a URI reference: percent-encoding what a URI may not hold.
func sarifURI(display string) string {
	var b strings.Builder
	for _, c := range []byte(display) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func (s *sarifFormat) file(_ io.Writer, o *outcome) {
	for _, f := range o.findings {
		loc := func(p patterns.Pos, width int) sarifPhysicalLocation {
			r := sarifRegion{StartLine: p.Line, StartColumn: p.Col}
			if width > 0 {
				r.EndColumn = p.Col + width
			}
			a := sarifArtifact{URI: sarifURI(o.given)}
			if !strings.HasPrefix(o.given, "/") {
				a.URIBaseID = "%SRCROOT%"
			}
			return sarifPhysicalLocation{ArtifactLocation: a, Region: r}
		}
		res := sarifResult{
			RuleID: f.Rule, RuleIndex: ruleIndex(f.Rule), Level: "warning",
			Message:    sarifText{f.Message + " (" + status(f) + ")"},
			Locations:  []sarifLocation{{PhysicalLocation: loc(f.Pos, markWidth(o.src, f.Pos, f.Name))}},
			Properties: map[string]string{},
		}
		if f.Await != nil {
			id := 1
			res.RelatedLocations = []sarifLocation{{ID: &id, PhysicalLocation: loc(*f.Await, markWidth(o.src, *f.Await, "await")),
				Message: &sarifText{"await occurs here"}}}
		}
		if f.Fixed {
			res.Properties["fix"] = f.Fix
		} else {
			res.Properties["reason"] = f.Reason
		}
		res.Properties["status"] = map[bool]string{true: "fixed", false: "unfixed"}[f.Fixed]
		s.results = append(s.results, res)
	}
}

func (s *sarifFormat) finish(w io.Writer) error {
	run := sarifRun{
		Tool:       sarifTool{sarifDriver{Name: "sendfix", Version: s.version}},
		ColumnKind: "unicodeCodePoints",
		Results:    s.results,
	}
	if run.Results == nil {
		run.Results = []sarifResult{}
	}
	for _, r := range patterns.AllRules {
		e := explanations[r]
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID: r, Name: e.name, ShortDescription: sarifText{e.short},
			FullDescription: sarifText{strings.SplitN(e.text, "\n\n", 2)[0]}, Help: sarifText{e.text},
			DefaultConfiguration: sarifRuleConf{"warning"},
		})
	}
	b, err := json.MarshalIndent(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}}, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
