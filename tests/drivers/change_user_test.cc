// COM_RESET_CONNECTION and COM_CHANGE_USER from libmysqlclient (MariaDB
// Connector/C): after mysql_reset_connection() / mysql_change_user() the
// session state is reset the way MariaDB resets it.
//
// Usage: change_user_test HOST PORT USER PASSWORD DB
//
// Prints one "key=value" line per observation (pytest compares the lines seen
// through the proxy with those seen direct) and exits non-zero when an
// expectation that MariaDB guarantees does not hold.

#include <mysql.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

namespace {

int g_failures = 0;

struct Args {
  const char* host;
  unsigned port;
  const char* user;
  const char* password;
  const char* db;
};

void Report(const std::string& key, const std::string& value) {
  std::printf("%s=%s\n", key.c_str(), value.c_str());
}

void Expect(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "MISMATCH: %s\n", what.c_str());
    ++g_failures;
  }
}

MYSQL* Connect(const Args& a) {
  MYSQL* m = mysql_init(nullptr);
  unsigned timeout = 10;
  mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (!mysql_real_connect(m, a.host, a.user, a.password, a.db, a.port, nullptr, 0)) {
    std::fprintf(stderr, "connect failed: %u %s\n", mysql_errno(m), mysql_error(m));
    std::exit(2);
  }
  return m;
}

// Runs a statement that must succeed.
void Exec(MYSQL* m, const char* sql) {
  if (mysql_query(m, sql) != 0) {
    std::fprintf(stderr, "MISMATCH: '%s' failed: %u %s\n", sql, mysql_errno(m), mysql_error(m));
    ++g_failures;
    return;
  }
  // Drain any result set.
  do {
    MYSQL_RES* r = mysql_store_result(m);
    if (r) mysql_free_result(r);
  } while (mysql_next_result(m) == 0);
}

// One scalar: the value, "NULL", or "ERR<errno>".
std::string Scalar(MYSQL* m, const char* sql) {
  if (mysql_query(m, sql) != 0) return "ERR" + std::to_string(mysql_errno(m));
  MYSQL_RES* r = mysql_store_result(m);
  if (!r) return "ERR" + std::to_string(mysql_errno(m));
  std::string out = "NOROW";
  if (MYSQL_ROW row = mysql_fetch_row(r)) out = row[0] ? row[0] : "NULL";
  mysql_free_result(r);
  return out;
}

// Puts state of every kind into the session.
void Dirty(MYSQL* m, MYSQL_STMT** stmt) {
  Exec(m, "SET @u = 42, @s = 'user variable'");
  Exec(m, "SET SESSION wait_timeout = 1234");
  Exec(m, "SET SESSION sql_mode = 'ANSI_QUOTES'");
  Exec(m, "SET SESSION time_zone = '+03:00'");
  Exec(m, "SET NAMES latin1");
  Exec(m, "CREATE TEMPORARY TABLE cu_tmp (a INT)");
  Exec(m, "INSERT INTO cu_tmp VALUES (1)");
  Exec(m, "PREPARE cu_sql_stmt FROM 'SELECT 1'");
  Exec(m, "SET autocommit = 0");
  Exec(m, "INSERT INTO cu_perm VALUES (1)");  // open transaction, never committed
  Exec(m, "SELECT LAST_INSERT_ID(99)");
  *stmt = mysql_stmt_init(m);
  const char* q = "SELECT ? + 1";
  Expect(mysql_stmt_prepare(*stmt, q, std::strlen(q)) == 0, "mysql_stmt_prepare");
  // Make sure the state is really there before the reset.
  Expect(Scalar(m, "SELECT @u") == "42", "@u set");
  Expect(Scalar(m, "SELECT @@in_transaction") == "1", "in transaction");
  Expect(Scalar(m, "SELECT @@wait_timeout") == "1234", "wait_timeout set");
  Expect(Scalar(m, "SELECT COUNT(*) FROM cu_tmp") == "1", "temp table exists");
}

// What the session looks like after a reset; reports and checks.
void Observe(MYSQL* m, const std::string& phase, const Args& a, MYSQL_STMT* stmt) {
  auto show = [&](const char* key, const char* sql) {
    std::string v = Scalar(m, sql);
    Report(phase + "." + key, v);
    return v;
  };
  Expect(show("user_var", "SELECT @u") == "NULL", phase + ": user variable cleared");
  Expect(show("user_var_s", "SELECT @s") == "NULL", phase + ": user variable cleared");
  Expect(show("wait_timeout_is_global", "SELECT @@session.wait_timeout = @@global.wait_timeout") ==
             "1",
         phase + ": wait_timeout back to the global value");
  Expect(show("sql_mode_is_global", "SELECT @@session.sql_mode = @@global.sql_mode") == "1",
         phase + ": sql_mode back to the global value");
  Expect(show("time_zone_is_global", "SELECT @@session.time_zone = @@global.time_zone") == "1",
         phase + ": time_zone back to the global value");
  Expect(show("autocommit", "SELECT @@autocommit") == "1", phase + ": autocommit back on");
  Expect(show("in_transaction", "SELECT @@in_transaction") == "0", phase + ": no transaction");
  Expect(show("temp_table", "SELECT COUNT(*) FROM cu_tmp") == "ERR1146",
         phase + ": temp table gone");
  Expect(show("sql_prepared", "EXECUTE cu_sql_stmt") == "ERR1243", phase + ": SQL PREPARE gone");
  Expect(show("rolled_back", "SELECT COUNT(*) FROM cu_perm") == "0",
         phase + ": insert rolled back");
  show("charset_client", "SELECT @@character_set_client");
  show("charset_results", "SELECT @@character_set_results");
  show("collation_connection", "SELECT @@collation_connection");
  show("last_insert_id", "SELECT LAST_INSERT_ID()");
  show("database", "SELECT DATABASE()");
  show("current_user", "SELECT CURRENT_USER()");
  // The prepared statement handle from before the reset.
  if (stmt) {
    MYSQL_BIND b{};
    long long v = 1;
    b.buffer_type = MYSQL_TYPE_LONGLONG;
    b.buffer = &v;
    mysql_stmt_bind_param(stmt, &b);
    int rc = mysql_stmt_execute(stmt);
    Report(phase + ".old_stmt_execute", rc == 0 ? "ok" : "error");
    Expect(rc != 0, phase + ": prepared statement from before the reset still executes");
  }
  // A new prepared statement works.
  MYSQL_STMT* s = mysql_stmt_init(m);
  const char* q = "SELECT CONCAT(?, '!')";
  bool ok = mysql_stmt_prepare(s, q, std::strlen(q)) == 0;
  MYSQL_BIND in{};
  char text[] = "fresh";
  unsigned long text_len = 5;
  in.buffer_type = MYSQL_TYPE_STRING;
  in.buffer = text;
  in.buffer_length = sizeof(text);
  in.length = &text_len;
  ok = ok && mysql_stmt_bind_param(s, &in) == 0 && mysql_stmt_execute(s) == 0;
  char out[32] = {};
  unsigned long out_len = 0;
  MYSQL_BIND res{};
  res.buffer_type = MYSQL_TYPE_STRING;
  res.buffer = out;
  res.buffer_length = sizeof(out);
  res.length = &out_len;
  ok = ok && mysql_stmt_bind_result(s, &res) == 0 && mysql_stmt_fetch(s) == 0;
  std::string got(out, out_len);
  Report(phase + ".new_stmt", ok ? got : std::string("error: ") + mysql_stmt_error(s));
  Expect(ok && got == "fresh!", phase + ": new prepared statement");
  mysql_stmt_close(s);
  // Another connection agrees that nothing was committed.
  MYSQL* other = Connect(a);
  Expect(Scalar(other, "SELECT COUNT(*) FROM cu_perm") == "0", phase + ": nothing committed");
  mysql_close(other);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s HOST PORT USER PASSWORD DB\n", argv[0]);
    return 2;
  }
  Args a{argv[1], static_cast<unsigned>(std::atoi(argv[2])), argv[3], argv[4], argv[5]};

  MYSQL* setup = Connect(a);
  Exec(setup, "CREATE TABLE IF NOT EXISTS cu_perm (id INT PRIMARY KEY) ENGINE=InnoDB");
  Exec(setup, "DELETE FROM cu_perm");
  mysql_close(setup);

  MYSQL* m = Connect(a);
  unsigned long id_before = mysql_thread_id(m);

  // 1. COM_RESET_CONNECTION.
  MYSQL_STMT* stmt = nullptr;
  Dirty(m, &stmt);
  int rc = mysql_reset_connection(m);
  Report("reset.rc", std::to_string(rc));
  Expect(rc == 0, std::string("mysql_reset_connection: ") + mysql_error(m));
  Observe(m, "reset", a, stmt);
  mysql_stmt_close(stmt);
  Expect(mysql_thread_id(m) == id_before, "reset keeps the connection id");

  // 2. COM_CHANGE_USER to the same user and schema.
  Dirty(m, &stmt);
  rc = mysql_change_user(m, a.user, a.password, a.db);
  Report("change_user.rc", std::to_string(rc));
  Expect(rc == 0, std::string("mysql_change_user: ") + mysql_error(m));
  Observe(m, "change_user", a, stmt);
  mysql_stmt_close(stmt);

  // 3. COM_CHANGE_USER without a schema: no default database afterwards.
  rc = mysql_change_user(m, a.user, a.password, nullptr);
  Report("change_user_nodb.rc", std::to_string(rc));
  Expect(rc == 0, "mysql_change_user without db");
  std::string db = Scalar(m, "SELECT DATABASE()");
  Report("change_user_nodb.database", db);
  Expect(db == "NULL", "no database after change_user without one");
  std::string q = std::string("SELECT COUNT(*) FROM `") + a.db + "`.cu_perm";
  Expect(Scalar(m, q.c_str()) == "0", "qualified names still work");

  // 4. COM_CHANGE_USER with a wrong password: ERR 1045.
  rc = mysql_change_user(m, a.user, "wrong-password", a.db);
  Report("change_user_bad.rc", std::to_string(rc));
  Report("change_user_bad.errno", std::to_string(mysql_errno(m)));
  Expect(rc != 0 && mysql_errno(m) == 1045, "change_user with a wrong password gives 1045");
  mysql_close(m);

  // 5. Unknown user.
  m = Connect(a);
  rc = mysql_change_user(m, "no_such_user_xyz", "x", a.db);
  Report("change_user_unknown.errno", std::to_string(mysql_errno(m)));
  Expect(rc != 0 && mysql_errno(m) == 1045, "change_user to an unknown user gives 1045");
  mysql_close(m);

  // 6. The server is still fine for a new connection.
  m = Connect(a);
  Expect(Scalar(m, "SELECT 'alive'") == "alive", "new connection works");
  Exec(m, "DROP TABLE IF EXISTS cu_perm");
  mysql_close(m);

  std::printf("failures=%d\n", g_failures);
  return g_failures == 0 ? 0 : 1;
}
