package discord

import (
	"context"
	"net"
	"strings"
	"testing"
)

// TestConnectErrorNamesTheAddressDialled (issue #23, point 1): when the
// configured api_url cannot be reached, Run's error names that address,
// not discord.com, and never the token.
func TestConnectErrorNamesTheAddressDialled(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connection refused
	a, err := New(Config{Token: "SECRETdiscordTOKEN", APIURL: "http://" + addr + "/api"}, newFakeAsker())
	if err != nil {
		t.Fatal(err)
	}
	connected := false
	WithConnected(func() { connected = true })(a)
	err = a.Run(context.Background())
	if err == nil {
		t.Fatal("Run against an unreachable api_url succeeded")
	}
	msg := err.Error()
	t.Logf("error: %s", msg)
	if !strings.Contains(msg, addr) || strings.Contains(msg, "discord.com") || strings.Contains(msg, "SECRET") {
		t.Errorf("error %q: want the address dialled (%s), not discord.com, and no token", msg, addr)
	}
	if connected {
		t.Error("connected was called though Run failed")
	}
}
