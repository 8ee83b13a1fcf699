-- A stock sysbench OLTP script with its tables declared sharded through the
-- proxy: `CREATE TABLE sbtest<N> (...) DBPARTITION BY HASH(id)`. sysbench's
-- oltp_common.lua appends the global `mysql_table_options` to its CREATE
-- TABLE; this wrapper sets it and then runs the script named by SB_SCRIPT
-- (default oltp_point_select) unchanged.
--
--   SB_SCRIPT=oltp_point_select sysbench bench/sysbench/sharded.lua \
--     --mysql-host=127.0.0.1 --mysql-port=6033 --mysql-user=app --mysql-password=app \
--     --mysql-db=shardproxy_sbtest --auto_inc=off prepare|run|cleanup
--
-- --auto_inc=off: the ids are sysbench's (global sequences for AUTO_INCREMENT
-- on sharded tables are a later issue).
mysql_table_options = "DBPARTITION BY HASH(id)"
local dir = os.getenv("SB_DIR") or "/usr/share/sysbench"
package.path = dir .. "/?.lua;" .. package.path
dofile(dir .. "/" .. (os.getenv("SB_SCRIPT") or "oltp_point_select") .. ".lua")
