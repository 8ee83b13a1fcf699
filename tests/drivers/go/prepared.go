// Prepared statements through Go's database/sql with go-sql-driver/mysql
// (Debian's golang-github-go-sql-driver-mysql-dev, built offline in GOPATH
// mode). interpolateParams=false, so every parameterised call is a real
// COM_STMT_PREPARE / COM_STMT_EXECUTE (binary protocol) round trip.
//
// Usage: prepared HOST PORT USER PASSWORD DB
// Exits non-zero on the first mismatch, printing what differed.
package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/go-sql-driver/mysql"
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

// One row of go_ps; pointer-free "null" flags keep it simple.
type row struct {
	id    int64
	i     sql.NullInt64
	u     uint64
	uNull bool
	f     sql.NullFloat64
	dec   sql.NullString
	s     sql.NullString
	b     []byte // nil = NULL
	dt    sql.NullTime
	flag  sql.NullBool
}

func makeRow(n int64) row {
	r := row{id: n}
	if n%5 == 0 { // every fifth row: all NULLs
		r.uNull = true
		return r
	}
	r.i = sql.NullInt64{Int64: -n * 1000003, Valid: true}
	r.u = math.MaxUint64 - uint64(n)
	r.f = sql.NullFloat64{Float64: float64(n) / 7.0, Valid: true}
	r.dec = sql.NullString{String: fmt.Sprintf("%d.%06d", n*12345, n%1000000), Valid: true}
	r.s = sql.NullString{String: fmt.Sprintf("row %d ünï 日本 😀", n), Valid: true}
	if n%3 == 0 {
		r.s = sql.NullString{String: "", Valid: true} // empty, not NULL
	}
	r.b = []byte{0, byte(n), 0xff, '\'', '\\', byte(n >> 8)}
	r.dt = sql.NullTime{Time: time.Date(2000+int(n%50), time.Month(1+n%12), 1+int(n%28),
		int(n%24), int(n%60), int(n%60), int(n%1000000)*1000, time.UTC), Valid: true}
	r.flag = sql.NullBool{Bool: n%2 == 0, Valid: true}
	return r
}

func (r row) args() []interface{} {
	var u interface{} = r.u
	if r.uNull {
		u = nil
	}
	var b interface{} = r.b
	if r.b == nil {
		b = nil
	}
	return []interface{}{r.id, r.i, u, r.f, r.dec, r.s, b, r.dt, r.flag}
}

func compare(want row, got row) {
	if want.i != got.i || want.uNull != got.uNull || (!want.uNull && want.u != got.u) ||
		want.f != got.f || want.dec != got.dec || want.s != got.s ||
		!bytes.Equal(want.b, got.b) || (want.b == nil) != (got.b == nil) ||
		want.dt.Valid != got.dt.Valid || (want.dt.Valid && !want.dt.Time.Equal(got.dt.Time)) ||
		want.flag != got.flag {
		fail("row %d: want %+v got %+v", want.id, want, got)
	}
}

func scanRow(sc interface{ Scan(...interface{}) error }) (row, error) {
	var r row
	var u sql.NullString
	err := sc.Scan(&r.id, &r.i, &u, &r.f, &r.dec, &r.s, &r.b, &r.dt, &r.flag)
	if err != nil {
		return r, err
	}
	if !u.Valid {
		r.uNull = true
	} else {
		v, perr := strconv.ParseUint(u.String, 10, 64)
		if perr != nil {
			return r, perr
		}
		r.u = v
	}
	return r, nil
}

func count(db *sql.DB) int64 {
	var n int64
	check(db.QueryRow("SELECT COUNT(*) FROM go_ps").Scan(&n), "count")
	return n
}

func main() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: prepared HOST PORT USER PASSWORD DB")
		os.Exit(2)
	}
	cfg := mysql.NewConfig()
	cfg.User = os.Args[3]
	cfg.Passwd = os.Args[4]
	cfg.Net = "tcp"
	cfg.Addr = os.Args[1] + ":" + os.Args[2]
	cfg.DBName = os.Args[5]
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.InterpolateParams = false
	cfg.Params = map[string]string{"charset": "utf8mb4", "time_zone": "'+00:00'"}
	cfg.Timeout = 10 * time.Second
	cfg.ReadTimeout = 60 * time.Second
	db, err := sql.Open("mysql", cfg.FormatDSN())
	check(err, "open")
	defer db.Close()
	db.SetMaxOpenConns(4)
	check(db.Ping(), "ping")

	_, err = db.Exec("DROP TABLE IF EXISTS go_ps")
	check(err, "drop")
	_, err = db.Exec(`CREATE TABLE go_ps (id BIGINT PRIMARY KEY, i BIGINT NULL,
		u BIGINT UNSIGNED NULL, f DOUBLE NULL, d DECIMAL(30,6) NULL,
		s VARCHAR(100) CHARACTER SET utf8mb4 NULL, b VARBINARY(100) NULL,
		dt DATETIME(6) NULL, flag TINYINT(1) NULL) ENGINE=InnoDB`)
	check(err, "create")

	// 1. One insert statement executed many times, several parameter types.
	const rows = 600
	ins, err := db.Prepare("INSERT INTO go_ps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
	check(err, "prepare insert")
	for n := int64(1); n <= rows; n++ {
		res, err := ins.Exec(makeRow(n).args()...)
		check(err, fmt.Sprintf("insert %d", n))
		if a, _ := res.RowsAffected(); a != 1 {
			fail("insert %d: rows affected %d", n, a)
		}
	}
	check(ins.Close(), "close insert")

	// 2. A prepared point select, every row back with its NULLs.
	sel, err := db.Prepare("SELECT id, i, u, f, d, s, b, dt, flag FROM go_ps WHERE id = ?")
	check(err, "prepare select")
	for n := int64(1); n <= rows; n++ {
		got, err := scanRow(sel.QueryRow(n))
		check(err, fmt.Sprintf("select %d", n))
		compare(makeRow(n), got)
	}
	// No row.
	if _, err := scanRow(sel.QueryRow(int64(rows + 1))); err != sql.ErrNoRows {
		fail("missing row: want ErrNoRows, got %v", err)
	}
	check(sel.Close(), "close select")

	// 3. A range query with parameters, streamed.
	rs, err := db.Query("SELECT id, i, u, f, d, s, b, dt, flag FROM go_ps WHERE id BETWEEN ? AND ? ORDER BY id",
		int64(10), int64(509))
	check(err, "range query")
	next := int64(10)
	for rs.Next() {
		got, err := scanRow(rs)
		check(err, "range scan")
		if got.id != next {
			fail("range: want id %d got %d", next, got.id)
		}
		compare(makeRow(next), got)
		next++
	}
	check(rs.Err(), "range rows")
	if next != 510 {
		fail("range: ended at %d", next)
	}

	// 4. Rows with NULLs, counted by a parameterised IS NULL predicate.
	var nulls int64
	check(db.QueryRow("SELECT COUNT(*) FROM go_ps WHERE i IS NULL AND s IS NULL AND id > ?", 0).Scan(&nulls), "nulls")
	if nulls != rows/5 {
		fail("null rows: want %d got %d", rows/5, nulls)
	}

	// 5. Transactions with prepared statements: rollback, then commit.
	before := count(db)
	tx, err := db.Begin()
	check(err, "begin")
	st, err := tx.Prepare("INSERT INTO go_ps (id, s) VALUES (?, ?)")
	check(err, "tx prepare")
	for n := int64(100001); n <= 100010; n++ {
		_, err = st.Exec(n, "in tx")
		check(err, "tx insert")
	}
	var inTx int64
	check(tx.QueryRow("SELECT COUNT(*) FROM go_ps WHERE id > ?", 100000).Scan(&inTx), "tx count")
	if inTx != 10 {
		fail("inside tx: want 10 got %d", inTx)
	}
	check(tx.Rollback(), "rollback")
	if c := count(db); c != before {
		fail("after rollback: want %d got %d", before, c)
	}
	tx, err = db.Begin()
	check(err, "begin 2")
	_, err = tx.Exec("INSERT INTO go_ps (id, s) VALUES (?, ?)", int64(200001), "committed")
	check(err, "tx2 insert")
	check(tx.Commit(), "commit")
	if c := count(db); c != before+1 {
		fail("after commit: want %d got %d", before+1, c)
	}

	// 6. Many executions of one statement.
	add, err := db.Prepare("SELECT ? + 1, CONCAT(?, 'x'), ? IS NULL")
	check(err, "prepare add")
	for n := int64(0); n < 3000; n++ {
		var sum int64
		var s string
		var isNull bool
		var p interface{} = n
		if n%2 == 1 {
			p = nil
		}
		check(add.QueryRow(n, strconv.FormatInt(n, 10), p).Scan(&sum, &s, &isNull), "add")
		if sum != n+1 || s != strconv.FormatInt(n, 10)+"x" || isNull != (n%2 == 1) {
			fail("exec %d: %d %q %v", n, sum, s, isNull)
		}
	}
	check(add.Close(), "close add")

	// 7. A statement error through a prepared statement: errno passed through.
	_, err = db.Exec("INSERT INTO go_ps (id) VALUES (?)", int64(1))
	if me, ok := err.(*mysql.MySQLError); !ok || me.Number != 1062 {
		fail("duplicate key: want MySQL error 1062, got %v", err)
	}
	_, err = db.Prepare("SELECT * FROM go_ps_missing WHERE id = ?")
	if me, ok := err.(*mysql.MySQLError); !ok || me.Number != 1146 {
		fail("prepare of a missing table: want 1146, got %v", err)
	}

	_, err = db.Exec("DROP TABLE go_ps")
	check(err, "drop at end")
	fmt.Println("go prepared statements: ok")
}
