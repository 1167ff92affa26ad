package cli

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progressAfter is how long a run goes before its progress line shows:
// short runs print nothing that flickers.
const progressAfter = time.Second

// progressEvery is how often the line is redrawn.
const progressEvery = 100 * time.Millisecond

// eraseLine returns the cursor to the start of the line and clears it.
const eraseLine = "\r\x1b[K"

// progress is the `sendfix: 12/400 files` line on a terminal's stderr.
// It is an io.Writer over stderr: everything else written to stderr
// through it first erases the line, so the line never mixes with a
// message; the report holds it while it writes a file's output (which
// may go to the same terminal on stdout). All methods are safe on a nil
// *progress, which shows nothing.
type progress struct {
	w     io.Writer
	delay time.Duration

	mu          sync.Mutex
	total, done int
	began       time.Time
	shown, held bool
	last        string // the line shown
	quit        chan struct{}
	finished    chan struct{}
}

func newProgress(w io.Writer, delay time.Duration) *progress {
	if delay <= 0 {
		delay = progressAfter
	}
	return &progress{w: w, delay: delay}
}

// start begins counting total files and starts the redraws.
func (p *progress) start(total int) {
	if p == nil || p.quit != nil {
		return
	}
	p.mu.Lock()
	p.total, p.began = total, time.Now()
	p.quit, p.finished = make(chan struct{}), make(chan struct{})
	p.mu.Unlock()
	go func() {
		defer close(p.finished)
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-p.quit:
				return
			case <-t.C:
				p.draw()
			}
		}
	}()
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.held || time.Since(p.began) < p.delay {
		return
	}
	line := fmt.Sprintf("sendfix: %d/%d files", p.done, p.total)
	if p.shown && line == p.last {
		return
	}
	fmt.Fprintf(p.w, "%s%s", eraseLine, line)
	p.shown, p.last = true, line
}

// clear erases the line; p.mu is held.
func (p *progress) clear() {
	if p.shown {
		io.WriteString(p.w, eraseLine)
		p.shown = false
	}
}

// Write writes b to stderr below no progress line.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	return p.w.Write(b)
}

// hold erases the line and keeps it away until release.
func (p *progress) hold() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.clear()
	p.held = true
	p.mu.Unlock()
}

// release counts one more file done and lets the line show again.
func (p *progress) release() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.held = false
	p.done++
	p.mu.Unlock()
}

// stop ends the redraws and erases the line for good.
func (p *progress) stop() {
	if p == nil {
		return
	}
	if p.quit != nil {
		close(p.quit)
		<-p.finished
		p.quit = nil
	}
	p.mu.Lock()
	p.clear()
	p.held = true
	p.mu.Unlock()
}
