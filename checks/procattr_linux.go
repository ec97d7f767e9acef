package checks

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the child end when the test or the audit that
// started it ends, also when it is killed (a test timeout).
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
