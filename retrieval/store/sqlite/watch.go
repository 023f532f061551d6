package sqlite

import (
	"context"
	"time"
)

// Watch implements store.DB. It polls PRAGMA data_version on a connection
// of its own: the number moves whenever another connection, in this
// process or another, commits. The first reading is taken before Watch
// returns, so every commit after that is signalled.
func (d *DB) Watch(ctx context.Context) <-chan struct{} {
	ch := make(chan struct{}, 1)
	conn, err := d.r.Conn(ctx)
	var last int64 = -1
	if err == nil {
		if err = conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&last); err != nil {
			conn.Close()
		}
	}
	if err != nil {
		if ctx.Err() == nil {
			d.log.Warn("store watch: no connection; readers fall back to polling", "err", err)
		}
		go func() {
			<-ctx.Done()
			close(ch)
		}()
		return ch
	}
	go func() {
		defer close(ch)
		defer conn.Close()
		t := time.NewTicker(d.watchEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-d.stopCh:
				<-ctx.Done()
				return
			case <-t.C:
			}
			var v int64
			if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
				d.log.Debug("store watch", "err", err)
				continue
			}
			if v != last {
				select {
				case ch <- struct{}{}:
				default:
				}
			}
			last = v
		}
	}()
	return ch
}

// vacuum returns free pages to the file system once deletions have freed
// enough of them (the database is in incremental auto-vacuum mode), so
// retention keeps the file near the size of what is stored.
func (d *DB) vacuum(ctx context.Context) {
	if !d.vacuumMu.TryLock() {
		return
	}
	defer d.vacuumMu.Unlock()
	var free, total int64
	if err := d.w.QueryRowContext(ctx, `PRAGMA freelist_count`).Scan(&free); err != nil {
		return
	}
	if err := d.w.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&total); err != nil {
		return
	}
	// Reclaim when a tenth of the file (and at least 1 MB) is free:
	// reusing free pages is cheaper than growing, so a little slack stays.
	if free < 256 || free*10 < total {
		return
	}
	if _, err := d.w.ExecContext(ctx, `PRAGMA incremental_vacuum`); err != nil {
		d.log.Warn("store vacuum", "err", err)
		return
	}
	// The WAL keeps the moved pages until a checkpoint; truncating it
	// makes the space visible on disk now.
	if _, err := d.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		d.log.Debug("store checkpoint", "err", err)
	}
}
