package golden

// The command tests run a sendfix binary that TestMain builds with `go
// build`, which go test's result cache cannot see. Linking the command's
// code into the test binary makes a change to it invalidate cached results.
import _ "sendfix/internal/cli"
