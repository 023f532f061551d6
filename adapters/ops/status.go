package ops

import "time"

// Status is what /healthz reports about one replica.
type Status struct {
	// StoreReachable is false when the store of record cannot be read; the
	// replica then keeps answering from its in-memory index.
	StoreReachable bool `json:"store_reachable"`
	// StoreError says why the store is unreachable (no secrets).
	StoreError string `json:"store_error,omitempty"`
	// Engine is the store's engine ("sqlite", "postgres", or "files").
	Engine string `json:"engine,omitempty"`
	// StoreSeq is the store's latest change sequence number.
	StoreSeq int64 `json:"store_seq"`
	// IndexSeq is the change sequence number the in-memory index has
	// applied; it lags StoreSeq until this replica catches up.
	IndexSeq int64 `json:"index_seq"`
	// SyncLag is how far behind the store the index is (0 when caught up).
	SyncLag time.Duration `json:"-"`
	// Articles and Chunks are the in-memory index's size.
	Articles int `json:"articles"`
	Chunks   int `json:"chunks"`
	// Leases are the leases this replica holds: which work it does for
	// all ("telegram:poll", "feed:<url>", "retention").
	Leases []string `json:"leases"`
	// Services are serve's services (telegram, discord, feeds, …) with
	// their state: a platform that cannot be reached is "down" while serve
	// retries it, and the others keep running.
	Services []ServiceStatus `json:"services,omitempty"`
}

// ServiceStatus is one service's state.
type ServiceStatus struct {
	Name string `json:"name"`
	// State is "ok" (running), "starting" (connecting) or "down" (failed;
	// retried after a backoff).
	State string `json:"state"`
	// Reason says why a service is not ok: the last error, naming the
	// address dialled.
	Reason string `json:"reason,omitempty"`
	// Since is when the service entered State.
	Since time.Time `json:"since,omitzero"`
}

// statusJSON is Status as /healthz shows it.
type statusJSON struct {
	Status
	// State is "ok", or "degraded" when the store is unreachable or a
	// service is down.
	State string `json:"status"`
	// Answering is always true: a replica without its store answers from
	// memory, and says so in Note.
	Answering  bool    `json:"answering"`
	Note       string  `json:"note,omitempty"`
	SyncLagSec float64 `json:"sync_lag_seconds"`
	Replica    string  `json:"replica,omitempty"`
}

func (s Status) view(replica string) statusJSON {
	v := statusJSON{Status: s, State: "ok", Answering: true, SyncLagSec: s.SyncLag.Seconds(), Replica: replica}
	if v.Leases == nil {
		v.Leases = []string{} // "none", not "unknown"
	}
	if !s.StoreReachable {
		v.State = "degraded"
		v.Note = "store unreachable: answering from the in-memory index, which may miss the newest articles"
	}
	for _, svc := range s.Services {
		if svc.State == "down" {
			v.State = "degraded"
			if v.Note == "" {
				v.Note = svc.Name + " is down (retrying); the other services keep running"
			}
		}
	}
	return v
}
