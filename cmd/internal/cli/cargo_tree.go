package cli

// Where the compiler loop works: the workspace found from a path, a
// scratch copy of it for the candidates (the user's files are written
// once, at the end, with what compiled), and git's view of dirty files.

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// manifestHasWorkspace matches a [workspace] table header.
var manifestHasWorkspace = regexp.MustCompile(`(?m)^\s*\[workspace\]`)

// workspaceRoot finds the cargo package at or above start and the
// workspace root above it: the nearest Cargo.toml with a [workspace]
// table, or the package itself.
func workspaceRoot(start string) (root, pkg string, err error) {
	dir := start
	if st, err := os.Stat(start); err != nil {
		return "", "", err
	} else if !st.IsDir() {
		dir = filepath.Dir(start)
	}
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "Cargo.toml"))
		if err == nil {
			if pkg == "" {
				pkg = d
			}
			if manifestHasWorkspace.Match(data) {
				return d, pkg, nil
			}
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if pkg == "" {
		return "", "", fmt.Errorf("no Cargo.toml in %s or any folder above it", dir)
	}
	return pkg, pkg, nil
}

// dirTree is a workTree on a folder.
type dirTree struct{ root string }

func (d dirTree) abs(path string) string { return filepath.Join(d.root, filepath.FromSlash(path)) }

func (d dirTree) read(path string) ([]byte, error) { return readSource(d.abs(path)) }

func (d dirTree) write(path string, data []byte) error {
	return os.WriteFile(d.abs(path), data, 0o644)
}

// rustFiles lists the .rs files under the root, but target/ and hidden
// folders.
func (d dirTree) rustFiles() ([]string, error) {
	var out []string
	err := filepath.WalkDir(d.root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && p != d.root && (e.Name() == "target" || strings.HasPrefix(e.Name(), ".")) {
			return filepath.SkipDir
		}
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".rs") {
			rel, _ := filepath.Rel(d.root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// packageOf returns the slash path of the folder of the nearest
// Cargo.toml above path.
func (d dirTree) packageOf(path string) string {
	for dir := filepath.Dir(filepath.FromSlash(path)); ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(d.root, dir, "Cargo.toml")); err == nil || dir == "." || dir == string(filepath.Separator) {
			return filepath.ToSlash(dir)
		}
	}
}

// scratchTree returns a scratch copy of the workspace at root for the
// loop's candidates, the target folder to build it in, and a function
// that releases both. The copy lives in the target folder
// (sendfix-scratch), kept between runs: a file whose bytes are already
// there is not written again, so cargo finds it unchanged and builds stay
// incremental from run to run.
//
// Only one run at a time may build a copy of the workspace in one target
// folder: cargo records the sources of a workspace member relative to the
// target folder when they are inside it, and gives every copy of a
// workspace the same build units, so a second copy checked there would be
// judged fresh against the first copy's files and report their errors
// (none, once fixed) for its own. So when another run holds the copy,
// this one waits for it (saying so through note; the runs' builds would
// take turns on the target folder anyway). When the lock cannot be taken
// at all (the target folder cannot be written, or a lock file a killed
// run left where locks are files), the copy is a temporary folder with a
// target folder of its own, removed on release.
func scratchTree(ctx context.Context, root, targetDir string, note func(string, ...any)) (dir, target string, release func(), err error) {
	stable := filepath.Join(targetDir, "sendfix-scratch")
	if err := os.MkdirAll(targetDir, 0o755); err == nil {
		release, held := tryLock(stable + ".lock")
		for waited := false; release == nil && held; release, held = tryLock(stable + ".lock") {
			if !waited {
				note("waiting for another sendfix run to release %s", stable+".lock")
				waited = true
			}
			select {
			case <-ctx.Done():
				return "", "", nil, ctx.Err()
			case <-time.After(lockPoll):
			}
		}
		if release != nil {
			if err := syncTree(root, stable, targetDir); err != nil {
				release()
				return "", "", nil, err
			}
			return stable, targetDir, release, nil
		}
	}
	tmp, err := os.MkdirTemp("", "sendfix-cargo-")
	if err != nil {
		return "", "", nil, err
	}
	dst := filepath.Join(tmp, "workspace")
	if err := syncTree(root, dst, targetDir); err != nil {
		os.RemoveAll(tmp)
		return "", "", nil, err
	}
	return dst, filepath.Join(tmp, "target"), func() { os.RemoveAll(tmp) }, nil
}

// lockPoll is how often a run waiting for the scratch copy tries its lock.
var lockPoll = 200 * time.Millisecond

// syncTree makes dst a copy of the workspace at root, but target/ and
// .git/ (and targetDir, when inside root): files whose bytes dst already
// has are left alone, others written, and what root does not have
// removed. Symbolic links stay links.
func syncTree(root, dst, targetDir string) error {
	keep := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		to := filepath.Join(dst, rel)
		keep[rel] = true
		switch {
		case e.IsDir():
			if p != root && (e.Name() == "target" || e.Name() == ".git" || p == targetDir) {
				delete(keep, rel)
				return filepath.SkipDir
			}
			if st, err := os.Lstat(to); err == nil && !st.IsDir() {
				os.RemoveAll(to)
			}
			return os.MkdirAll(to, 0o755)
		case e.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			if old, err := os.Readlink(to); err == nil && old == link {
				return nil
			}
			os.RemoveAll(to)
			return os.Symlink(link, to)
		case e.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if st, err := os.Lstat(to); err == nil && st.Mode().IsRegular() {
				if old, err := os.ReadFile(to); err == nil && bytes.Equal(old, data) {
					return nil
				}
			}
			os.RemoveAll(to)
			return os.WriteFile(to, data, 0o644)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("copying the workspace to a scratch folder: %v", err)
	}
	// Remove what the workspace no longer has, deepest first.
	var gone []string
	filepath.WalkDir(dst, func(p string, e fs.DirEntry, err error) error {
		if err != nil || p == dst {
			return nil
		}
		rel, _ := filepath.Rel(dst, p)
		if !keep[rel] {
			gone = append(gone, p)
			if e.IsDir() {
				return filepath.SkipDir
			}
		}
		return nil
	})
	for _, p := range gone {
		os.RemoveAll(p)
	}
	return nil
}

// cargoCheck is the checker that runs `cargo check` on the copy of the
// workspace at scratch: from the user's folder dir (so that cargo reads
// the same configuration), with the package's manifest in the copy and
// the workspace's own target folder (so that builds stay incremental).
// The first check's output is kept in out (when not nil).
func cargoCheck(dir, manifest, targetDir string, args []string, out *cargoOutput) checker {
	return func(ctx context.Context) ([]*rustcDiag, error) {
		all := append([]string{"check", "--message-format=json", "--all-targets", "--keep-going", "--manifest-path", manifest}, args...)
		cmd := exec.CommandContext(ctx, "cargo", all...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CARGO_TERM_COLOR=never", "CARGO_TERM_PROGRESS_WHEN=never", "CARGO_TARGET_DIR="+targetDir)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		runErr := cmd.Run()
		lines, diags, err := parseOutput(strings.NewReader(stdout.String()))
		if err != nil {
			return nil, fmt.Errorf("reading cargo's output: %v", err)
		}
		if out != nil && out.first == nil {
			out.first, out.diags = lines, diags
		}
		if runErr != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			for _, d := range diags {
				if d.Level == "error" {
					return diags, nil
				}
			}
			// Cargo failed before rustc said anything: a manifest error,
			// a missing dependency. Its stderr says why.
			return nil, fmt.Errorf("cargo check failed: %v\n%s", runErr, tailString(stderr.String(), 3000))
		}
		return diags, nil
	}
}

// cargoOutput keeps cargo's standard output of the first check, on the
// files as they are on disk: --message-format json passes it through.
type cargoOutput struct {
	first [][]byte
	diags []*rustcDiag
}

func tailString(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// gitDirty returns the files among abs (absolute paths) that git reports
// as modified, staged or untracked in the work tree at dir. Outside a git
// work tree nothing is dirty.
func gitDirty(ctx context.Context, dir string, abs []string) []string {
	if len(abs) == 0 {
		return nil
	}
	if _, err := exec.LookPath("git"); err != nil {
		return nil
	}
	cmd := exec.CommandContext(ctx, "git", append([]string{"status", "--porcelain", "-z", "--"}, abs...)...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return nil // not a git work tree
	}
	var d []string
	for _, rec := range strings.Split(string(out), "\x00") {
		if len(rec) > 3 {
			d = append(d, rec[3:])
		}
	}
	return d
}
