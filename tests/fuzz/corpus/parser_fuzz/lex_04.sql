/*!40101 SET @OLD = @@CHARACTER_SET_CLIENT */;/*M!100100 SET x = 'a;b' */;
-- c
# d
SELECT 1--1