// Package storetest is the conformance suite every store.DB engine must
// pass. An engine's test calls Run with a way to make a fresh database:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Connect {
//			path := filepath.Join(t.TempDir(), "store.db")
//			return func(t *testing.T) store.DB {
//				db, err := sqlite.Open(context.Background(), path)
//				if err != nil {
//					t.Fatal(err)
//				}
//				return db
//			}
//		})
//	}
//
// The suite opens a second handle onto the same database where it checks
// what another process would see (Watch, leases, concurrent writers), so
// Connect must open a new, independent handle every time it is called.
//
// What the suite holds engines to, beyond store.DB's doc comments:
//   - text, titles and every string field come back byte for byte (the
//     suite's text has multi-byte UTF-8 but no NUL, which PostgreSQL's
//     text type cannot hold); vectors bit for bit (negative zero,
//     subnormals); Published to the microsecond, zero stays zero;
//   - every Put and every deleted article is one entry of the change
//     sequence, which starts after 0; Scan of an empty store returns 0;
//     changes become visible in seq order (a follower polling Changes
//     never skips one that commits late);
//   - Put of a record without an id is an error; a non-nil empty value
//     is stored, a nil one deletes;
//   - a Watch signals changes made through any handle once it has
//     returned;
//   - a Put whose TextHash another id holds stores nothing and wraps
//     store.ErrDuplicateText, also when many handles race (one wins);
//   - follows and pushes keep the rules under store.DB's FollowStore:
//     one push per story and follow however many handles race, a push
//     held by one holder at a time whatever the handles, quotes byte for
//     byte (Published as the same instant at the same offset).
package storetest

import (
	"testing"

	"newsbot/retrieval/store"
)

// Connect opens a new handle onto one database. Every call must return an
// independent handle (for a server engine, its own connections; for an
// embedded one, the same file opened again), as a second process would.
// The suite closes each handle it gets.
type Connect func(t *testing.T) store.DB

// NewDB creates a fresh, empty database for one subtest and returns how to
// connect to it. It should register the database's removal with
// t.Cleanup. A failure to create it should t.Fatal (or t.Skip when the
// engine is not available).
type NewDB func(t *testing.T) Connect

// Run runs every conformance check as a subtest, each on a database of
// its own made by newDB.
func Run(t *testing.T, newDB NewDB) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, newDB(t))
		})
	}
}

// A case is one conformance check.
type testCase struct {
	name string
	run  func(t *testing.T, connect Connect)
}

// cases lists every check; each lives in the file of the DB methods it
// exercises.
var cases = []testCase{
	{"PutGetRoundTrip", testPutGetRoundTrip},
	{"PutLargeArticle", testPutLargeArticle},
	{"PutReplace", testPutReplace},
	{"PutRejectsEmptyID", testPutRejectsEmptyID},
	{"PutCanceledContext", testPutCanceledContext},
	{"GetNotFound", testGetNotFound},
	{"Delete", testDelete},
	{"ReopenKeepsData", testReopenKeepsData},
	{"ScanAll", testScanAll},
	{"ScanStopsOnError", testScanStopsOnError},
	{"List", testList},
	{"ChangesOrderAndLimit", testChangesOrderAndLimit},
	{"WatchOtherHandle", testWatchOtherHandle},
	{"WatchClosesWithContext", testWatchClosesWithContext},
	{"ValueRoundTrip", testValueRoundTrip},
	{"ValueTTL", testValueTTL},
	{"LeaseAcquireRelease", testLeaseAcquireRelease},
	{"LeaseExpiry", testLeaseExpiry},
	{"LeaseOneWinner", testLeaseOneWinner},
	{"ConcurrentPuts", testConcurrentPuts},
	{"DuplicateTextRefused", testDuplicateTextRefused},
	{"ConcurrentDuplicateTexts", testConcurrentDuplicateTexts},
	{"Info", testInfo},
	{"FollowsAddListDelete", testFollowsAddListDelete},
	{"AddPushDedup", testAddPushDedup},
	{"PushDueZero", testPushDueZero},
	{"ConcurrentAddPush", testConcurrentAddPush},
	{"ClaimDueLimitOrder", testClaimDueLimitOrder},
	{"ClaimConcurrent", testClaimConcurrent},
	{"ClaimExpired", testClaimExpired},
	{"MarkSent", testMarkSent},
	{"Defer", testDefer},
	{"SentSince", testSentSince},
	{"QuoteRoundTrip", testQuoteRoundTrip},
	{"DeleteFollowsCascades", testDeleteFollowsCascades},
}
