package main

import "context"

// openSeeded opens the store for a command that answers questions, filling
// an empty one with the bundled sample news first.
func (m *Main) openSeeded(ctx context.Context) error {
	if err := m.openStore(ctx); err != nil {
		return err
	}
	return m.ensureSeeded(ctx)
}
