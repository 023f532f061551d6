//go:build !linux

package postgres

import "syscall"

// setUserTimeout does nothing where TCP_USER_TIMEOUT does not exist; the
// keep-alives still detect an idle dead connection.
func setUserTimeout(string, string, syscall.RawConn) error { return nil }
