package bot

import (
	"context"
	"time"
)

// Leaser grants named leases that expire unless renewed, shared by every
// replica of newsbot: work that must be done once (polling a feed,
// consuming Telegram's updates) is done by the lease's holder. store.DB
// implements it.
type Leaser interface {
	// Acquire takes or renews the lease name for holder until ttl from
	// now, and reports whether holder has it. A lease not renewed before
	// it expired goes to the next caller.
	Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// Release gives up holder's lease name, if it holds it.
	Release(ctx context.Context, name, holder string) error
}
