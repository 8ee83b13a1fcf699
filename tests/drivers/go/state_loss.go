// A session's backend connection killed between statements, seen from Go's
// database/sql with go-sql-driver/mysql (Debian's
// golang-github-go-sql-driver-mysql-dev, built offline in GOPATH mode, like
// prepared.go). interpolateParams=false: parameterised calls are real
// COM_STMT_PREPARE / COM_STMT_EXECUTE round trips.
//
// The backend thread of a session is found through the target with
// SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%<marker>%'
// (the query's own row) and killed from a monitor connection straight on g0.
//
// MODE "proxy": a server-side prepared statement, an open transaction or a
// user variable cannot be replayed on a new backend connection, so the next
// statement gets ERR 1184 "shardproxy: the session's server state was lost
// ... reconnect" and the proxy closes the connection. A statement handle must
// never run a different statement; a new Prepare on a fresh connection works.
// A session without such state (only the DSN's charset / time_zone) is
// reconnected: the next statement works, with the same session variables.
// MODE "direct": MariaDB itself closes the connection at the KILL; the same
// scenarios prove the test logic (errors instead of 1184, no reconnect).
//
// Usage: state_loss HOST PORT USER PASSWORD DB DIRECT_HOST DIRECT_PORT MON_USER MON_PASSWORD MODE
// Exits non-zero on the first mismatch, printing what differed.
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

const (
	stateLostErrno  = 1184
	stateLostPrefix = "shardproxy: the session's server state was lost"
)

var (
	proxyMode bool
	direct    *sql.DB // app, straight on g0
	monitor   *sql.DB // monitor, straight on g0
	ctx       = context.Background()
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "MISMATCH: "+format+"\n", args...)
	os.Exit(1)
}

func check(err error, what string) {
	if err != nil {
		fail("%s: %v", what, err)
	}
}

func marker() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "bt_" + hex.EncodeToString(b)
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...interface{}) *sql.Row
}

// backendThread returns the backend thread of q's session on g0 (direct:
// the connection itself).
func backendThread(q querier, what string) int64 {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%"+
		marker()+"%'").Scan(&id)
	check(err, what+": backend thread")
	return id
}

// kill KILLs thread id on g0, waits until it is gone, then 0.5 s more.
func kill(id int64) {
	_, err := monitor.Exec(fmt.Sprintf("KILL %d", id))
	check(err, fmt.Sprintf("KILL %d", id))
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int
		check(monitor.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?", id).Scan(&n),
			"processlist after KILL")
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			fail("thread %d still there 5 s after KILL", id)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
}

// expectStateLost: err is the answer to the first statement after the kill.
func expectStateLost(err error, what string) {
	if err == nil {
		fail("%s: succeeded after its backend state was killed", what)
	}
	if !proxyMode {
		var me *mysql.MySQLError
		if errors.As(err, &me) {
			fail("%s: want a connection error (direct), got server error %v", what, err)
		}
		return
	}
	var me *mysql.MySQLError
	if !errors.As(err, &me) {
		fail("%s: want MySQL error %d, got %T %v", what, stateLostErrno, err, err)
	}
	if me.Number != stateLostErrno || !strings.HasPrefix(me.Message, stateLostPrefix) ||
		!strings.Contains(me.Message, "reconnect") {
		fail("%s: want %d %q...reconnect..., got %d %q", what, stateLostErrno, stateLostPrefix, me.Number, me.Message)
	}
}

// expectConnError: a statement on a connection the proxy (or server) closed.
func expectConnError(err error, what string) {
	if err == nil {
		fail("%s: succeeded on a connection that should be closed", what)
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		fail("%s: want a connection error (closed), got server error %v", what, err)
	}
}

func directCount(where string, args ...interface{}) int {
	var n int
	check(direct.QueryRow("SELECT COUNT(*) FROM go_sl WHERE "+where, args...).Scan(&n), "direct count")
	return n
}

func openDB(host, port, user, pass, db string, params map[string]string) *sql.DB {
	cfg := mysql.NewConfig()
	cfg.User = user
	cfg.Passwd = pass
	cfg.Net = "tcp"
	cfg.Addr = host + ":" + port
	cfg.DBName = db
	cfg.InterpolateParams = false
	cfg.Params = params
	cfg.Timeout = 10 * time.Second
	cfg.ReadTimeout = 30 * time.Second
	cfg.WriteTimeout = 30 * time.Second
	d, err := sql.Open("mysql", cfg.FormatDSN())
	check(err, "open "+host+":"+port)
	return d
}

func main() {
	if len(os.Args) != 11 {
		fmt.Fprintln(os.Stderr, "usage: state_loss HOST PORT USER PASSWORD DB DIRECT_HOST DIRECT_PORT MON_USER MON_PASSWORD proxy|direct")
		os.Exit(2)
	}
	host, port, user, pass, dbName := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5]
	dhost, dport, muser, mpass := os.Args[6], os.Args[7], os.Args[8], os.Args[9]
	proxyMode = os.Args[10] == "proxy"
	params := map[string]string{"charset": "utf8mb4", "time_zone": "'+02:00'"}

	direct = openDB(dhost, dport, user, pass, dbName, nil)
	defer direct.Close()
	monitor = openDB(dhost, dport, muser, mpass, "", nil)
	defer monitor.Close()
	check(direct.Ping(), "ping direct")
	check(monitor.Ping(), "ping monitor")
	_, err := direct.Exec("DROP TABLE IF EXISTS go_sl")
	check(err, "drop")
	_, err = direct.Exec("CREATE TABLE go_sl (id BIGINT PRIMARY KEY, tag VARCHAR(20)) ENGINE=InnoDB")
	check(err, "create")

	// 1. db.Prepare on a pool of one connection: after the kill, the handle's
	// next Exec fails (proxy: 1184, never run); later Execs may re-prepare it
	// on a fresh connection, and then run the same statement.
	{
		db := openDB(host, port, user, pass, dbName, params)
		db.SetMaxOpenConns(1)
		ins, err := db.Prepare("INSERT INTO go_sl (id, tag) VALUES (?, 'ins')")
		check(err, "1: prepare")
		_, err = ins.Exec(int64(1))
		check(err, "1: exec 1")
		tid := backendThread(db, "1")
		kill(tid)
		_, err = ins.Exec(int64(2))
		if proxyMode {
			expectStateLost(err, "1: stmt.Exec after kill")
			if directCount("id = 2") != 0 {
				fail("1: the refused Exec ran anyway")
			}
		}
		// database/sql drops the closed connection and re-prepares on a new one.
		_, err = ins.Exec(int64(3))
		check(err, "1: stmt.Exec on a fresh connection")
		if backendThread(db, "1 after") == tid {
			fail("1: still on the killed backend thread %d", tid)
		}
		ins2, err := db.Prepare("INSERT INTO go_sl (id, tag) VALUES (?, 'ins2')")
		check(err, "1: new prepare after the kill")
		_, err = ins2.Exec(int64(4))
		check(err, "1: new stmt exec")
		check(ins.Close(), "1: close")
		check(ins2.Close(), "1: close 2")
		db.Close()
		if n := directCount("tag = 'ins' AND id IN (1, 3)"); n != 2 {
			fail("1: want rows 1 and 3 from the first statement, have %d", n)
		}
		if n := directCount("tag = 'ins2' AND id = 4"); n != 1 {
			fail("1: want row 4 from the second statement, have %d", n)
		}
		fmt.Println("1. db.Prepare across a killed backend: ok")
	}

	// 2. A pinned *sql.Conn with two prepared statements; after the kill a new
	// PrepareContext and the old handle both fail: the old handle must never
	// run the statement prepared after it (same server-side id on a new
	// backend connection).
	{
		db := openDB(host, port, user, pass, dbName, params)
		conn, err := db.Conn(ctx)
		check(err, "2: conn")
		s1, err := conn.PrepareContext(ctx, "INSERT INTO go_sl (id, tag) VALUES (?, 's1')")
		check(err, "2: prepare s1")
		_, err = s1.ExecContext(ctx, int64(10))
		check(err, "2: s1 exec")
		tid := backendThread(conn, "2")
		kill(tid)
		s2, err := conn.PrepareContext(ctx, "INSERT INTO go_sl (id, tag) VALUES (?, 's2')")
		expectStateLost(err, "2: PrepareContext after kill")
		if s2 != nil {
			s2.Close()
		}
		_, err = s1.ExecContext(ctx, int64(11))
		expectConnError(err, "2: s1.Exec on the closed connection")
		_, err = conn.ExecContext(ctx, "INSERT INTO go_sl (id, tag) VALUES (12, 'plain')")
		expectConnError(err, "2: Exec on the closed connection")
		s1.Close()
		conn.Close()
		if n := directCount("id IN (11, 12)"); n != 0 {
			fail("2: %d statements ran after the session's state was lost", n)
		}
		if n := directCount("tag = 's2'"); n != 0 {
			fail("2: the statement prepared after the kill ran")
		}
		// A fresh connection prepares and executes normally.
		conn2, err := db.Conn(ctx)
		check(err, "2: fresh conn")
		s3, err := conn2.PrepareContext(ctx, "INSERT INTO go_sl (id, tag) VALUES (?, 's3')")
		check(err, "2: prepare on a fresh connection")
		_, err = s3.ExecContext(ctx, int64(13))
		check(err, "2: exec on a fresh connection")
		s3.Close()
		conn2.Close()
		db.Close()
		if n := directCount("id = 13 AND tag = 's3'"); n != 1 {
			fail("2: fresh statement row missing")
		}
		fmt.Println("2. pinned conn prepared statements: ok")
	}

	// 3. The next thing after the kill is the old handle itself.
	{
		db := openDB(host, port, user, pass, dbName, params)
		conn, err := db.Conn(ctx)
		check(err, "3: conn")
		sel, err := conn.PrepareContext(ctx, "SELECT ? + 1")
		check(err, "3: prepare")
		var v int64
		check(sel.QueryRowContext(ctx, int64(41)).Scan(&v), "3: query")
		if v != 42 {
			fail("3: want 42 got %d", v)
		}
		kill(backendThread(conn, "3"))
		err = sel.QueryRowContext(ctx, int64(1)).Scan(&v)
		expectStateLost(err, "3: stmt query after kill")
		err = sel.QueryRowContext(ctx, int64(1)).Scan(&v)
		expectConnError(err, "3: stmt query on the closed connection")
		sel.Close()
		conn.Close()
		db.Close()
		fmt.Println("3. prepared handle after the kill: ok")
	}

	// 4. An open transaction: Commit fails, the rows are not on g0.
	{
		db := openDB(host, port, user, pass, dbName, params)
		tx, err := db.BeginTx(ctx, nil)
		check(err, "4: begin")
		_, err = tx.Exec("INSERT INTO go_sl (id, tag) VALUES (?, 'tx')", int64(20))
		check(err, "4: insert")
		_, err = tx.Exec("INSERT INTO go_sl (id, tag) VALUES (21, 'tx')")
		check(err, "4: insert 2")
		kill(backendThread(tx, "4"))
		err = tx.Commit()
		expectStateLost(err, "4: Commit after kill")
		db.Close()
		if n := directCount("id IN (20, 21)"); n != 0 {
			fail("4: %d rows of the killed transaction are on g0", n)
		}
		fmt.Println("4. transaction across a kill: ok")
	}

	// 5. A user variable on a pinned conn.
	{
		db := openDB(host, port, user, pass, dbName, params)
		conn, err := db.Conn(ctx)
		check(err, "5: conn")
		_, err = conn.ExecContext(ctx, "SET @x = 1")
		check(err, "5: set")
		kill(backendThread(conn, "5"))
		var x sql.NullInt64
		err = conn.QueryRowContext(ctx, "SELECT @x").Scan(&x)
		expectStateLost(err, "5: SELECT @x after kill")
		conn.Close()
		db.Close()
		fmt.Println("5. user variable across a kill: ok")
	}

	// 6. No unreplayable state (only the DSN's charset and time_zone): the
	// proxy reconnects; the next statement works with the same variables.
	if proxyMode {
		db := openDB(host, port, user, pass, dbName, params)
		conn, err := db.Conn(ctx)
		check(err, "6: conn")
		snap := func(what string) string {
			var cs, coll, tz, dbn string
			check(conn.QueryRowContext(ctx, "SELECT @@character_set_client, @@collation_connection,"+
				" @@time_zone, DATABASE()").Scan(&cs, &coll, &tz, &dbn), what)
			return cs + "|" + coll + "|" + tz + "|" + dbn
		}
		before := snap("6: snapshot")
		if !strings.Contains(before, "|+02:00|") {
			fail("6: the DSN's time_zone is not set: %s", before)
		}
		tid := backendThread(conn, "6")
		kill(tid)
		after := snap("6: the statement after the kill")
		if after != before {
			fail("6: session variables after the reconnect: %s, before %s", after, before)
		}
		if backendThread(conn, "6 after") == tid {
			fail("6: still on the killed backend thread")
		}
		// Prepared statements work on the new backend connection.
		st, err := conn.PrepareContext(ctx, "INSERT INTO go_sl (id, tag) VALUES (?, 'after')")
		check(err, "6: prepare after reconnect")
		_, err = st.ExecContext(ctx, int64(30))
		check(err, "6: exec after reconnect")
		st.Close()
		conn.Close()
		db.Close()
		if directCount("id = 30") != 1 {
			fail("6: row 30 missing")
		}
		fmt.Println("6. reconnect without state: ok")
	}

	_, err = direct.Exec("DROP TABLE go_sl")
	check(err, "drop at end")
	fmt.Println("go state loss: ok")
}
