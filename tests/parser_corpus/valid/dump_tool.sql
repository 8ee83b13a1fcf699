-- What mysqldump / mariadb-dump write and what restoring a dump sends: version-gated
-- executable comments, LOCK/UNLOCK around extended INSERTs, DISABLE/ENABLE KEYS.
-- Executed bare on a throwaway table where the statement changes session state.
-- @exec-bare
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
-- @exec-bare
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
-- @exec-bare
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
-- @exec-bare
/*!40101 SET NAMES utf8mb4 */;
-- @exec-bare
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
-- @exec-bare
/*!40103 SET TIME_ZONE='+00:00' */;
-- @exec-bare
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
-- @exec-bare
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
-- @exec-bare
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
-- @exec-bare
/*M!100616 SET @OLD_NOTE_VERBOSITY=@@NOTE_VERBOSITY, NOTE_VERBOSITY=0 */;
-- @exec-bare
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;
-- @exec-bare
/*!40101 SET @saved_cs_client     = @@character_set_client */;
-- @exec-bare
/*!40101 SET character_set_client = utf8mb4 */;
-- @exec-bare
-- @before SET @saved_cs_client = @@character_set_client
/*!40101 SET character_set_client = @saved_cs_client */;
-- @exec
-- @after DROP TABLE IF EXISTS shardproxy_corpus.dump_orders
DROP TABLE IF EXISTS `dump_orders`;
-- @exec
-- @use shardproxy_corpus
-- @after DROP TABLE IF EXISTS shardproxy_corpus.dump_orders
CREATE TABLE `dump_orders` (
  `order_id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint(20) unsigned NOT NULL,
  `amount` decimal(12,2) NOT NULL DEFAULT 0.00,
  `status` varchar(16) NOT NULL DEFAULT 'new',
  `created_at` datetime NOT NULL DEFAULT current_timestamp(),
  `updated_at` datetime NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  PRIMARY KEY (`order_id`),
  KEY `idx_user` (`user_id`)
) ENGINE=InnoDB AUTO_INCREMENT=1042 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- @exec-bare
-- @use shardproxy_corpus
-- @before CREATE TABLE shardproxy_corpus.dump_orders (order_id INT PRIMARY KEY, user_id INT, amount DECIMAL(12,2), status VARCHAR(16), created_at DATETIME, updated_at DATETIME)
-- @after UNLOCK TABLES
-- @after DROP TABLE IF EXISTS shardproxy_corpus.dump_orders
LOCK TABLES `dump_orders` WRITE;
-- @exec
-- @use shardproxy_corpus
-- @before CREATE TABLE shardproxy_corpus.dump_orders (order_id INT PRIMARY KEY, user_id INT, amount DECIMAL(12,2), status VARCHAR(16), created_at DATETIME, updated_at DATETIME)
-- @after DROP TABLE IF EXISTS shardproxy_corpus.dump_orders
/*!40000 ALTER TABLE `dump_orders` DISABLE KEYS */;
-- @use shardproxy_corpus
-- @before CREATE TABLE shardproxy_corpus.dump_orders (order_id INT PRIMARY KEY, user_id INT, amount DECIMAL(12,2), status VARCHAR(16), created_at DATETIME, updated_at DATETIME)
-- @after DROP TABLE IF EXISTS shardproxy_corpus.dump_orders
INSERT INTO `dump_orders` VALUES (1,42,19.99,'paid','2024-01-02 03:04:05','2024-01-02 03:04:05'),(2,43,5.00,'new','2024-01-03 00:00:00','2024-01-03 00:00:00'),(3,44,0.50,'it\'s \"quoted\"\\n','2024-01-04 10:00:00','2024-01-04 10:00:00');
-- @use shardproxy_corpus
-- @before CREATE TABLE shardproxy_corpus.dump_orders (order_id INT PRIMARY KEY, user_id INT, amount DECIMAL(12,2), status VARCHAR(16), created_at DATETIME, updated_at DATETIME)
-- @after DROP TABLE IF EXISTS shardproxy_corpus.dump_orders
INSERT INTO `dump_orders` (`order_id`, `user_id`, `amount`, `status`, `created_at`, `updated_at`) VALUES (4,45,1.00,'new','2024-01-05 00:00:00','2024-01-05 00:00:00');
-- @use shardproxy_corpus
-- @before CREATE TABLE shardproxy_corpus.dump_orders (order_id INT PRIMARY KEY, user_id INT, amount DECIMAL(12,2), status VARCHAR(16), created_at DATETIME, updated_at DATETIME)
-- @after DROP TABLE IF EXISTS shardproxy_corpus.dump_orders
INSERT INTO `dump_orders` VALUES (5,46,NULL,_binary 0x6E6577,NULL,NULL);
-- @exec
-- @use shardproxy_corpus
-- @before CREATE TABLE shardproxy_corpus.dump_orders (order_id INT PRIMARY KEY, user_id INT, amount DECIMAL(12,2), status VARCHAR(16), created_at DATETIME, updated_at DATETIME)
-- @after DROP TABLE IF EXISTS shardproxy_corpus.dump_orders
/*!40000 ALTER TABLE `dump_orders` ENABLE KEYS */;
-- @exec-bare
UNLOCK TABLES;
-- @exec-bare
-- @before SET @OLD_TIME_ZONE = @@TIME_ZONE
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
-- @exec-bare
-- @before SET @OLD_SQL_MODE = @@SQL_MODE
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
-- @exec-bare
-- @before SET @OLD_FOREIGN_KEY_CHECKS = @@FOREIGN_KEY_CHECKS
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
-- @exec-bare
-- @before SET @OLD_CHARACTER_SET_CLIENT = @@CHARACTER_SET_CLIENT
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
-- @exec-bare
-- @before SET @OLD_SQL_NOTES = @@SQL_NOTES
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;
-- @exec-bare
-- @after DROP DATABASE IF EXISTS shardproxy_corpus_dump
CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shardproxy_corpus_dump` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci */;
USE `shardproxy_corpus`;
-- @exec
-- @use shardproxy_corpus
-- @after DROP VIEW IF EXISTS shardproxy_corpus.dump_view
/*!50001 CREATE ALGORITHM=UNDEFINED */
/*!50013 SQL SECURITY DEFINER */
/*!50001 VIEW `dump_view` AS select `kv`.`k` AS `k` from `kv` */;
-- @exec
-- @use shardproxy_corpus
-- @after DROP TABLE IF EXISTS shardproxy_corpus.dump_gtid_probe
/*!50503 CREATE TABLE `dump_gtid_probe` (`id` int(11) NOT NULL) */;
-- @exec-bare
/*M!999999\- enable the sandbox mode */;
-- @exec-bare
-- @allow-error 1227 1044 1142
/*!40000 SELECT @@GLOBAL.gtid_binlog_pos */;
-- @exec-bare
SELECT /*!40001 SQL_NO_CACHE */ * FROM `trade`.`orders`;
-- @exec-bare
/*!40100 SET @@SQL_MODE='' */;
-- @exec-bare
-- @allow-error 1227
SET @@SESSION.SQL_LOG_BIN= 0;
-- @exec-bare
/*!80000 SET SESSION information_schema_stats_expiry=0 */;
-- @exec-bare
SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;
-- @exec-bare
/*!40100 SET @@SESSION.max_statement_time=0 */;
