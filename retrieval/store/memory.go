package store

import (
	"context"
	"errors"
	"time"

	"newsbot/bot"
)

// Memory returns db's key-value namespace as a bot.Memory, for the chat
// adapters' conversation memory ("telegram", "discord").
func Memory(db DB, namespace string) bot.Memory { return memory{db: db, ns: namespace} }

type memory struct {
	db DB
	ns string
}

// Load implements bot.Memory: a key that is not stored is nil, not an
// error.
func (m memory) Load(ctx context.Context, key string) ([]byte, error) {
	v, err := m.db.Value(ctx, m.ns, key)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// Save implements bot.Memory.
func (m memory) Save(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	return m.db.SetValue(ctx, m.ns, key, value, ttl)
}
