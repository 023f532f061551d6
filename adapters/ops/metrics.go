package ops

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"newsbot/bot"
)

// Metrics holds newsbot's Prometheus metrics in a registry of its own (so
// that several in one process, as in tests, do not collide).
type Metrics struct {
	reg       *prometheus.Registry
	questions *prometheus.CounterVec
	refusals  *prometheus.CounterVec
	failures  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	ingested  *prometheus.CounterVec
	feedPolls *prometheus.CounterVec
}

// NewMetrics returns the metrics, with Go runtime and process metrics, and
// the store and index gauges read from status at every scrape.
func NewMetrics(status func(context.Context) Status) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsbot_questions_total",
			Help: "Questions asked, by adapter."}, []string{"adapter"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsbot_refusals_total",
			Help: "Questions the ingested news did not support, answered with a refusal, by adapter."}, []string{"adapter"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsbot_answer_errors_total",
			Help: "Questions that failed with an error (bad input included), by adapter."}, []string{"adapter"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "newsbot_answer_duration_seconds",
			Help:    "Time to answer a question (retrieval, sentence picking, optional LLM), by adapter.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"adapter"}),
		ingested: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsbot_ingested_articles_total",
			Help: "Articles ingested by this process, by result (added, replaced, unchanged, duplicate, failed)."}, []string{"result"}),
		feedPolls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsbot_feed_polls_total",
			Help: "Feed polls by this replica, by result (ok, error); newsbot_feed_polls_total{result=\"error\"} counts feed errors."}, []string{"result"}),
	}
	m.reg.MustRegister(m.questions, m.refusals, m.failures, m.latency, m.ingested, m.feedPolls,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&statusCollector{status: status})
	for _, r := range []string{"ok", "error"} {
		m.feedPolls.WithLabelValues(r)
	}
	return m
}

// Registry is where the metrics are registered, for /metrics.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Ingested counts the outcome of storing articles.
func (m *Metrics) Ingested(added, replaced, unchanged, duplicates, failed int) {
	for r, n := range map[string]int{"added": added, "replaced": replaced, "unchanged": unchanged,
		"duplicate": duplicates, "failed": failed} {
		m.ingested.WithLabelValues(r).Add(float64(n))
	}
}

// FeedPolled counts one poll of a feed; err != nil is a feed error.
func (m *Metrics) FeedPolled(err error) {
	r := "ok"
	if err != nil {
		r = "error"
	}
	m.feedPolls.WithLabelValues(r).Inc()
}

// Asker wraps a so that the questions it answers for adapter are counted
// and timed.
func (m *Metrics) Asker(a bot.Asker, adapter string) bot.Asker {
	for _, v := range []*prometheus.CounterVec{m.questions, m.refusals, m.failures} {
		v.WithLabelValues(adapter) // show zeros before the first question
	}
	return &meteredAsker{Asker: a, m: m, adapter: adapter}
}

type meteredAsker struct {
	bot.Asker
	m       *Metrics
	adapter string
}

// Ask implements bot.Asker.
func (a *meteredAsker) Ask(ctx context.Context, q bot.Question) (bot.Answer, error) {
	start := time.Now()
	ans, err := a.Asker.Ask(ctx, q)
	a.m.questions.WithLabelValues(a.adapter).Inc()
	switch {
	case err != nil:
		a.m.failures.WithLabelValues(a.adapter).Inc()
	case !ans.Answered:
		a.m.refusals.WithLabelValues(a.adapter).Inc()
	}
	if err == nil {
		a.m.latency.WithLabelValues(a.adapter).Observe(time.Since(start).Seconds())
	}
	return ans, err
}

// scrapeTimeout bounds reading the status during a scrape.
const scrapeTimeout = 3 * time.Second

// statusCollector turns one read of the status per scrape into gauges.
type statusCollector struct {
	status func(context.Context) Status
}

var (
	descStoreUp  = prometheus.NewDesc("newsbot_store_up", "1 when the store of record is reachable, else 0.", nil, nil)
	descArticles = prometheus.NewDesc("newsbot_index_articles", "Articles in this replica's in-memory index.", nil, nil)
	descChunks   = prometheus.NewDesc("newsbot_index_chunks", "Chunks (passages) in this replica's in-memory index.", nil, nil)
	descStoreSeq = prometheus.NewDesc("newsbot_store_seq", "The store's latest change sequence number.", nil, nil)
	descIndexSeq = prometheus.NewDesc("newsbot_index_seq", "The change sequence number this replica's index has applied.", nil, nil)
	descSyncLag  = prometheus.NewDesc("newsbot_sync_lag_seconds", "How far this replica's index is behind the store.", nil, nil)
)

// Describe implements prometheus.Collector.
func (c *statusCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descStoreUp, descArticles, descChunks, descStoreSeq, descIndexSeq, descSyncLag} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *statusCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	s := c.status(ctx)
	up := 0.0
	if s.StoreReachable {
		up = 1
	}
	for _, g := range []struct {
		d *prometheus.Desc
		v float64
	}{{descStoreUp, up}, {descArticles, float64(s.Articles)}, {descChunks, float64(s.Chunks)},
		{descStoreSeq, float64(s.StoreSeq)}, {descIndexSeq, float64(s.IndexSeq)}, {descSyncLag, s.SyncLag.Seconds()}} {
		ch <- prometheus.MustNewConstMetric(g.d, prometheus.GaugeValue, g.v)
	}
}
