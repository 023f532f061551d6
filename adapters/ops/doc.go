// Package ops is newsbot's operations endpoint for replicas behind a load
// balancer or an orchestrator: GET /healthz (JSON status; 503 when the
// store is unreachable) and GET /metrics (Prometheus). It knows only
// package bot; cmd/newsbot tells it how to read the store's status.
package ops
