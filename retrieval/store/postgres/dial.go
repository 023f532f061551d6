package postgres

import (
	"net"
	"time"
)

// How fast a connection to a vanished server (a network split, a crashed
// host that sends no reset) is given up, so a replica notices, reports
// it and reconnects instead of waiting minutes for the kernel's defaults.
const (
	keepAliveIdle     = 10 * time.Second
	keepAliveInterval = 5 * time.Second
	keepAliveCount    = 3
	// userTimeout bounds how long sent data may stay unacknowledged
	// (Linux only), which keep-alives do not cover: a query sent into a
	// split fails after it.
	userTimeout = 30 * time.Second
	// defaultConnectTimeout applies unless the URL sets connect_timeout.
	defaultConnectTimeout = 10 * time.Second
)

// dialer returns the dialer for connections to the server.
func dialer(connectTimeout time.Duration) *net.Dialer {
	if connectTimeout <= 0 {
		connectTimeout = defaultConnectTimeout
	}
	return &net.Dialer{
		Timeout: connectTimeout,
		KeepAliveConfig: net.KeepAliveConfig{
			Enable: true, Idle: keepAliveIdle, Interval: keepAliveInterval, Count: keepAliveCount,
		},
		Control: setUserTimeout,
	}
}
