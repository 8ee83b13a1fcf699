// MySQL/MariaDB statement grammar for shardproxy (our own; see parser/README.md).
//
// One statement per parse (the caller splits scripts). Written for ANTLR's SLL
// prediction: expressions are layered like MariaDB's own grammar (expr > boolPri
// > predicate > bitExpr > simpleExpr), each layer a left-recursive rule that
// ANTLR turns into a precedence-climbing loop. Labels (#name) exist where the
// model builder (parser/model_builder.cc) needs to tell alternatives apart.
parser grammar MySQLParser;

options { tokenVocab = MySQLLexer; }

// The runtime's (4.9) rule entry/exit find a context's parent with a
// dynamic_cast (ParseTree* -> ParserRuleContext*: a class-hierarchy walk with
// strcmp on type names, ~8% of a cold parse). Here a rule context's parent is
// always a ParserRuleContext (or null for the root), so these do the same work
// with a static_cast. exitRule() is not virtual: this one hides the base's for
// the generated rule functions, which call it unqualified.
@parser::members {
  void exitRule() {
    _ctx->stop = _matchedEOF ? _input->LT(1) : _input->LT(-1);
    if (!_parseListeners.empty()) triggerExitRuleEvent();
    setState(_ctx->invokingState);
    _ctx = static_cast<antlr4::ParserRuleContext*>(_ctx->parent);
  }
  void enterOuterAlt(antlr4::ParserRuleContext* localctx, size_t alt) override {
    localctx->setAltNumber(alt);
    if (_buildParseTrees && _ctx != localctx && _ctx->parent != nullptr) {
      auto* parent = static_cast<antlr4::ParserRuleContext*>(_ctx->parent);
      parent->removeLastChild();
      parent->addChild(localctx);
    }
    _ctx = localctx;
  }
  void unrollRecursionContexts(antlr4::ParserRuleContext* parentctx) override {
    _precedenceStack.pop_back();
    _ctx->stop = _input->LT(-1);
    antlr4::ParserRuleContext* ret = _ctx;
    if (!_parseListeners.empty()) {
      while (_ctx != parentctx) {
        triggerExitRuleEvent();
        _ctx = static_cast<antlr4::ParserRuleContext*>(_ctx->parent);
      }
    } else {
      _ctx = parentctx;
    }
    ret->parent = parentctx;
    if (_buildParseTrees && parentctx != nullptr) parentctx->addChild(ret);
  }

 protected:
  void addContextToParseTree() override {
    if (_ctx->parent != nullptr) static_cast<antlr4::ParserRuleContext*>(_ctx->parent)->addChild(_ctx);
  }

 public:
}

root : statement SEMI? EOF ;

statement
  : selectStmt
  | insertStmt
  | updateStmt
  | deleteStmt
  | callStmt
  | loadDataStmt
  | createTableStmt
  | alterTableStmt
  | dropTableStmt
  | truncateStmt
  | renameTableStmt
  | createIndexStmt
  | dropIndexStmt
  | createDatabaseStmt
  | alterDatabaseStmt
  | dropDatabaseStmt
  | transactionStmt
  | xaStmt
  | setStatementFor
  | accountStmt      // before setStmt: SET PASSWORD = ... is not a variable assignment
  | setStmt
  | useStmt
  | showStmt
  | explainStmt
  | killStmt
  | lockTablesStmt
  | unlockTablesStmt
  | prepareStmt
  | executeStmt
  | deallocateStmt
  | doStmt
  | createViewStmt
  | alterViewStmt
  | dropViewStmt
  | createSequenceStmt
  | alterSequenceStmt
  | dropSequenceStmt
  | tableMaintenanceStmt
  | helpStmt
  | createRoutineStmt
  | createTriggerStmt
  | createEventStmt
  | dropRoutineStmt
  | flushStmt
  | handlerStmt
  ;

// ===================================================================== SELECT
selectStmt : queryExpression ;

queryExpression
  : withClause? queryBody orderByClause? limitClause? lockingClause? intoClause? lockingClause?
  ;

withClause : WITH RECURSIVE? cte (COMMA cte)* ;
cte : identifier columnNameList? AS subquery ;

queryBody : queryTerm (setOp queryTerm)* ;
setOp : (UNION | EXCEPT) (ALL | DISTINCT)? ;
queryTerm : queryPrimary (INTERSECT (ALL | DISTINCT)? queryPrimary)* ;
queryPrimary
  : querySpecification
  | LPAREN queryExpression RPAREN
  ;

querySpecification
  : SELECT selectOption* selectList intoClause?
    fromClause? whereClause? groupByClause? havingClause? windowClause?
  ;

selectOption
  : ALL | DISTINCT | DISTINCTROW | HIGH_PRIORITY | STRAIGHT_JOIN | SQL_SMALL_RESULT
  | SQL_BIG_RESULT | SQL_BUFFER_RESULT | SQL_CACHE | SQL_NO_CACHE | SQL_CALC_FOUND_ROWS
  ;

selectList : selectItem (COMMA selectItem)* ;
selectItem
  : STAR                                  #selectStar
  | qualifiedIdentifier DOT STAR          #selectTableStar
  | expr selectAlias?                     #selectExpr
  ;
selectAlias : AS? (identifier | TEXT_STRING) ;

intoClause
  : INTO ( OUTFILE TEXT_STRING loadCharset? fieldsClause? linesClause?
         | DUMPFILE TEXT_STRING
         | intoTarget (COMMA intoTarget)* )
  ;
intoTarget : USER_VAR | identifier ;

fromClause : FROM (DUAL | tableReferenceList) ;
tableReferenceList : tableReference (COMMA tableReference)* ;
tableReference : tableFactor joinPart* ;

tableFactor
  : tableName usePartition? tableAlias? indexHint*                       #singleTable
  | subquery tableAlias columnNameList?                                  #derivedTable
  | LPAREN tableReferenceList RPAREN                                     #nestedTables
  ;
tableAlias : AS? identifier ;
usePartition : PARTITION LPAREN identifier (COMMA identifier)* RPAREN ;

indexHint
  : (USE | IGNORE | FORCE) (INDEX | KEY) (FOR (JOIN | ORDER BY | GROUP BY))?
    LPAREN (identifier (COMMA identifier)*)? RPAREN
  ;

joinPart
  : (INNER | CROSS)? JOIN tableFactor joinCondition?                     #innerJoin
  | STRAIGHT_JOIN tableFactor (ON expr)?                                 #straightJoin
  | (LEFT | RIGHT) OUTER? JOIN tableReference joinCondition              #outerJoin
  | NATURAL ((LEFT | RIGHT) OUTER?)? JOIN tableFactor                    #naturalJoin
  ;
joinCondition : ON expr | USING LPAREN identifier (COMMA identifier)* RPAREN ;

whereClause : WHERE expr ;
groupByClause : GROUP BY orderItem (COMMA orderItem)* (WITH ROLLUP)? ;
havingClause : HAVING expr ;
windowClause : WINDOW windowDef (COMMA windowDef)* ;
windowDef : identifier AS LPAREN windowSpec RPAREN ;
orderByClause : ORDER BY orderItem (COMMA orderItem)* ;
orderItem : expr (ASC | DESC)? ;

limitClause
  : LIMIT limitValue (COMMA limitValue | OFFSET limitValue)?
  ;
limitValue : INT_NUM | PARAM_MARKER | identifier ;

lockingClause
  : FOR UPDATE lockWait?                         #forUpdate
  | LOCK IN SHARE MODE lockWait?                 #lockInShareMode
  ;
lockWait : NOWAIT | SKIP_SYM LOCKED | WAIT (INT_NUM | DECIMAL_NUM) ;

subquery : LPAREN queryExpression RPAREN ;

// ===================================================================== INSERT / REPLACE
insertStmt
  : INSERT (LOW_PRIORITY | DELAYED | HIGH_PRIORITY)? IGNORE? INTO? tableName usePartition?
    insertSource onDuplicate? returningClause?
  | REPLACE (LOW_PRIORITY | DELAYED)? INTO? tableName usePartition? insertSource returningClause?
  ;
insertSource
  : insertColumns? ((VALUES | VALUE) rowValues (COMMA rowValues)* | queryExpression)
  | SET assignment (COMMA assignment)*
  ;
insertColumns : LPAREN (columnRef (COMMA columnRef)*)? RPAREN ;
rowValues : LPAREN (valueItem (COMMA valueItem)*)? RPAREN ;
valueItem : DEFAULT | expr ;
onDuplicate : ON DUPLICATE KEY UPDATE assignment (COMMA assignment)* ;
assignment : columnRef EQ valueItem ;
returningClause : RETURNING selectList ;

// ===================================================================== UPDATE / DELETE
updateStmt
  : UPDATE LOW_PRIORITY? IGNORE? tableReferenceList SET assignment (COMMA assignment)*
    whereClause? orderByClause? simpleLimit?
  ;
simpleLimit : LIMIT limitValue ;   // UPDATE/DELETE: no offset

deleteStmt
  : DELETE deleteOption* FROM tableName usePartition? whereClause? orderByClause? simpleLimit? returningClause?  #deleteSingle
  | DELETE deleteOption* deleteTarget (COMMA deleteTarget)* FROM tableReferenceList whereClause?          #deleteMultiFrom
  | DELETE deleteOption* FROM deleteTarget (COMMA deleteTarget)* USING tableReferenceList whereClause?   #deleteMultiUsing
  ;
deleteOption : LOW_PRIORITY | QUICK | IGNORE ;
deleteTarget : qualifiedIdentifier (DOT STAR)? ;

// ===================================================================== CALL / LOAD / DO
callStmt : CALL qualifiedIdentifier (LPAREN exprList? RPAREN)? ;

loadDataStmt
  : LOAD DATA (LOW_PRIORITY | CONCURRENT)? LOCAL? INFILE TEXT_STRING (REPLACE | IGNORE)?
    INTO TABLE tableName usePartition? loadCharset? fieldsClause? linesClause?
    (IGNORE INT_NUM (LINES | ROWS))?
    (LPAREN (loadTarget (COMMA loadTarget)*)? RPAREN)?
    (SET assignment (COMMA assignment)*)?
  ;
loadCharset : (CHARACTER SET | CHARSET) charsetName ;
fieldsClause : (FIELDS | COLUMNS) fieldOption+ ;
fieldOption : TERMINATED BY TEXT_STRING | OPTIONALLY? ENCLOSED BY TEXT_STRING | ESCAPED BY TEXT_STRING ;
linesClause : LINES lineOption+ ;
lineOption : STARTING BY TEXT_STRING | TERMINATED BY TEXT_STRING ;
loadTarget : columnRef | USER_VAR ;

doStmt : DO exprList ;

// ===================================================================== DDL
createTableStmt
  : CREATE (OR REPLACE)? TEMPORARY? TABLE ifNotExists? tableName
    ( LPAREN tableElement (COMMA tableElement)* RPAREN tableOptions? partitionClause?
      shardingClause? createSelect?
    | (LIKE tableName | LPAREN LIKE tableName RPAREN) shardingClause?
    | tableOptions? partitionClause? shardingClause? createSelect
    )
  ;
createSelect : (IGNORE | REPLACE)? AS? queryExpression ;
ifNotExists : IF NOT EXISTS ;
ifExists : IF EXISTS ;

// Ours: how the proxy shards the table; stripped before a backend sees it.
shardingClause
  : DBPARTITION BY HASH LPAREN identifier RPAREN       #shardByHash
  | BROADCAST                                          #shardBroadcast
  ;

// PARTITION BY ... (MariaDB's own partitioning; the backend interprets it).
partitionClause
  : PARTITION BY partitionMethod (PARTITIONS INT_NUM)? subpartitionMethod? partitionDefinitions?
  ;
partitionMethod
  : LINEAR? HASH LPAREN expr RPAREN                                               #partitionByHash
  | LINEAR? KEY (ALGORITHM EQ INT_NUM)? LPAREN (identifier (COMMA identifier)*)? RPAREN  #partitionByKey
  | (RANGE | LIST) (LPAREN expr RPAREN | COLUMNS LPAREN identifier (COMMA identifier)* RPAREN)  #partitionByRange
  | SYSTEM_TIME (INTERVAL expr intervalUnit | LIMIT INT_NUM)?                      #partitionBySystemTime
  ;
subpartitionMethod
  : SUBPARTITION BY ( LINEAR? HASH LPAREN expr RPAREN
                    | LINEAR? KEY (ALGORITHM EQ INT_NUM)? LPAREN identifier (COMMA identifier)* RPAREN )
    (SUBPARTITIONS INT_NUM)?
  ;
partitionDefinitions : LPAREN partitionDefinition (COMMA partitionDefinition)* RPAREN ;
partitionDefinition
  : PARTITION identifier partitionValues? partitionOption*
    (LPAREN subpartitionDefinition (COMMA subpartitionDefinition)* RPAREN)?
  ;
partitionValues
  : VALUES LESS THAN (LPAREN partitionValue (COMMA partitionValue)* RPAREN | MAXVALUE)
  | VALUES IN LPAREN partitionValue (COMMA partitionValue)* RPAREN
  | DEFAULT
  | CURRENT
  | HISTORY
  ;
partitionValue : MAXVALUE | expr ;
subpartitionDefinition : SUBPARTITION identifier partitionOption* ;
partitionOption
  : STORAGE? ENGINE EQ? (identifier | TEXT_STRING)
  | COMMENT EQ? TEXT_STRING
  | (DATA | INDEX) DIRECTORY EQ? TEXT_STRING
  | (MAX_ROWS | MIN_ROWS) EQ? INT_NUM
  | TABLESPACE EQ? identifier
  ;
partitionNames : ALL | identifier (COMMA identifier)* ;

tableElement
  : columnDefinition
  | tableConstraint
  ;
columnDefinition : identifier dataType columnAttribute* ;

dataType
  : typeName (LPAREN typeArg (COMMA typeArg)* RPAREN)? typeModifier*
  ;
typeName
  : BIT | TINYINT | SMALLINT | MEDIUMINT | INT | INTEGER | BIGINT | REAL | DOUBLE PRECISION? | FLOAT
  | DECIMAL | DEC | NUMERIC | FIXED | BOOL | BOOLEAN | SERIAL | DATE | TIME | TIMESTAMP | DATETIME | YEAR
  | NATIONAL? (CHAR | CHARACTER) VARYING? | NATIONAL? VARCHAR | BINARY | VARBINARY
  | TINYBLOB | BLOB | MEDIUMBLOB | LONGBLOB | LONG VARBINARY? | LONG VARCHAR?
  | TINYTEXT | TEXT | MEDIUMTEXT | LONGTEXT | ENUM | SET | JSON | SIGNED INTEGER? | UNSIGNED INTEGER?
  | identifier
  ;
typeArg : INT_NUM | TEXT_STRING ;
typeModifier
  : UNSIGNED | SIGNED | ZEROFILL | BINARY
  | (CHARACTER SET | CHARSET) charsetName
  | COLLATE collationName
  ;

columnAttribute
  : NOT? NULL_SYM
  | DEFAULT (signedLiteral | LPAREN expr RPAREN | timeFunction | identifier (LPAREN RPAREN)?)
  | ON UPDATE timeFunction
  | AUTO_INCREMENT
  | UNIQUE KEY?
  | PRIMARY? KEY
  | COMMENT TEXT_STRING
  | COLLATE collationName
  | (CHARACTER SET | CHARSET) charsetName
  | INVISIBLE
  | (CONSTRAINT identifier?)? CHECK LPAREN expr RPAREN
  | referenceDefinition
  | (GENERATED ALWAYS)? AS LPAREN expr RPAREN (VIRTUAL | PERSISTENT | STORED)?
  | COLUMN_FORMAT identifier
  | STORAGE identifier
  | WITH SYSTEM VERSIONING
  | identifier EQ (signedLiteral | identifier)      // engine-defined attribute
  ;
timeFunction : (CURRENT_TIMESTAMP | LOCALTIME | LOCALTIMESTAMP | identifier) (LPAREN INT_NUM? RPAREN)? ;

tableConstraint
  : (CONSTRAINT identifier?)? PRIMARY KEY indexType? keyList indexOption*
  | (CONSTRAINT identifier?)? UNIQUE (INDEX | KEY)? identifier? indexType? keyList indexOption*
  | (INDEX | KEY) ifNotExists? identifier? indexType? keyList indexOption*
  | (FULLTEXT | SPATIAL) (INDEX | KEY)? identifier? keyList indexOption*
  | (CONSTRAINT identifier?)? FOREIGN KEY ifNotExists? identifier? columnNameList referenceDefinition
  | (CONSTRAINT identifier?)? CHECK LPAREN expr RPAREN
  ;
keyList : LPAREN keyPart (COMMA keyPart)* RPAREN ;
keyPart : identifier (LPAREN INT_NUM RPAREN)? (ASC | DESC)? ;
indexType : USING (BTREE | HASH | identifier) ;
indexOption
  : KEY_BLOCK_SIZE EQ? INT_NUM
  | indexType
  | COMMENT TEXT_STRING
  | INVISIBLE
  | NOT? IGNORED
  | WITH identifier identifier       // WITH PARSER name
  ;
referenceDefinition
  : REFERENCES tableName columnNameList? (MATCH (FULL | PARTIAL | SIMPLE))?
    (ON (DELETE | UPDATE) referenceAction)*
  ;
referenceAction : RESTRICT | CASCADE | SET NULL_SYM | SET DEFAULT | NO ACTION ;

tableOptions : tableOption (COMMA? tableOption)* ;
tableOption
  : ENGINE EQ? (identifier | TEXT_STRING)
  | DEFAULT? (CHARACTER SET | CHARSET) EQ? (charsetName | DEFAULT)
  | DEFAULT? COLLATE EQ? (collationName | DEFAULT)
  | AUTO_INCREMENT EQ? INT_NUM
  | COMMENT EQ? TEXT_STRING
  | (DATA | INDEX) DIRECTORY EQ? TEXT_STRING
  | UNION EQ? LPAREN (tableName (COMMA tableName)*)? RPAREN
  | WITH SYSTEM VERSIONING
  | identifier (EQ (signedLiteral | identifier | DEFAULT) | signedLiteral)
  ;

alterTableStmt
  : ALTER identifier? IGNORE? TABLE ifExists? tableName
    (alterSpec (COMMA alterSpec)*)? partitionClause?
  ;
alterSpec
  : ADD COLUMN? ifNotExists? columnDefinition columnPosition?
  | ADD COLUMN? ifNotExists? LPAREN columnDefinition (COMMA columnDefinition)* RPAREN
  | ADD tableConstraint
  | DROP COLUMN? ifExists? identifier (RESTRICT | CASCADE)?
  | DROP (INDEX | KEY) ifExists? identifier
  | DROP PRIMARY KEY
  | DROP FOREIGN KEY ifExists? identifier
  | DROP CONSTRAINT ifExists? identifier
  | MODIFY COLUMN? ifExists? columnDefinition columnPosition?
  | CHANGE COLUMN? ifExists? identifier columnDefinition columnPosition?
  | ADD PARTITION ifNotExists? (partitionDefinitions | PARTITIONS INT_NUM)
  | DROP PARTITION ifExists? identifier (COMMA identifier)*
  | (TRUNCATE | ANALYZE | CHECK | OPTIMIZE | REBUILD | REPAIR) PARTITION partitionNames
  | COALESCE PARTITION INT_NUM
  | REORGANIZE PARTITION (identifier (COMMA identifier)* INTO partitionDefinitions)?
  | EXCHANGE PARTITION identifier WITH TABLE tableName
  | REMOVE PARTITIONING
  | (DISCARD | IMPORT) (PARTITION partitionNames)? TABLESPACE
  | ALTER COLUMN? identifier (SET DEFAULT (signedLiteral | LPAREN expr RPAREN) | DROP DEFAULT)
  | RENAME COLUMN identifier TO identifier
  | RENAME (INDEX | KEY) identifier TO identifier
  | RENAME (TO | AS)? tableName
  | ORDER BY identifier (COMMA identifier)*
  | CONVERT TO (CHARACTER SET | CHARSET) (charsetName | DEFAULT) (COLLATE collationName)?
  | (ENABLE | DISABLE) KEYS
  | FORCE
  | ALGORITHM EQ? (DEFAULT | identifier)
  | LOCK EQ? (DEFAULT | identifier)
  | tableOption
  ;
columnPosition : FIRST | AFTER identifier ;

dropTableStmt
  : DROP TEMPORARY? (TABLE | TABLES) ifExists? tableName (COMMA tableName)* (RESTRICT | CASCADE)?
  ;
truncateStmt : TRUNCATE TABLE? tableName ;
renameTableStmt : RENAME (TABLE | TABLES) renamePair (COMMA renamePair)* ;
renamePair : tableName TO tableName ;

createIndexStmt
  : CREATE (OR REPLACE)? (UNIQUE | FULLTEXT | SPATIAL)? INDEX ifNotExists? identifier indexType?
    ON tableName keyList indexOption* (ALGORITHM EQ? (DEFAULT | identifier) | LOCK EQ? (DEFAULT | identifier))*
  ;
dropIndexStmt : DROP INDEX ifExists? identifier ON tableName ;

createDatabaseStmt
  : CREATE (OR REPLACE)? (DATABASE | SCHEMA) ifNotExists? identifier databaseOption*
  ;
alterDatabaseStmt : ALTER (DATABASE | SCHEMA) identifier? databaseOption+ ;
databaseOption
  : DEFAULT? (CHARACTER SET | CHARSET) EQ? (charsetName | DEFAULT)
  | DEFAULT? COLLATE EQ? (collationName | DEFAULT)
  | COMMENT EQ? TEXT_STRING
  ;
dropDatabaseStmt : DROP (DATABASE | SCHEMA) ifExists? identifier ;

// Views. MariaDB wants the attributes in this order (dumps split them across
// executable comments: /*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=...
// SQL SECURITY DEFINER */ /*!50001 VIEW v AS ... */).
createViewStmt
  : CREATE (OR REPLACE)? viewAlgorithm? viewDefiner? viewSecurity? VIEW ifNotExists? tableName
    columnNameList? AS queryExpression viewCheckOption?
  ;
alterViewStmt
  : ALTER viewAlgorithm? viewDefiner? viewSecurity? VIEW tableName columnNameList? AS queryExpression
    viewCheckOption?
  ;
viewAlgorithm : ALGORITHM EQ identifier ;   // UNDEFINED | MERGE | TEMPTABLE
viewDefiner : DEFINER EQ userName ;
viewSecurity : SQL SECURITY (DEFINER | INVOKER) ;
viewCheckOption : WITH (CASCADED | LOCAL)? CHECK OPTION ;
dropViewStmt : DROP VIEW ifExists? tableName (COMMA tableName)* (RESTRICT | CASCADE)? ;

// Sequences (MariaDB 10.3+).
createSequenceStmt
  : CREATE (OR REPLACE)? TEMPORARY? SEQUENCE ifNotExists? tableName sequenceOption* tableOptions?
  ;
alterSequenceStmt : ALTER SEQUENCE ifExists? tableName sequenceOption+ ;
dropSequenceStmt : DROP TEMPORARY? SEQUENCE ifExists? tableName (COMMA tableName)* ;
sequenceOption
  : INCREMENT (BY | EQ)? sequenceNumber
  | MINVALUE EQ? sequenceNumber | NO MINVALUE | NOMINVALUE
  | MAXVALUE EQ? sequenceNumber | NO MAXVALUE | NOMAXVALUE
  | START (WITH | EQ)? sequenceNumber
  | CACHE EQ? sequenceNumber | NOCACHE
  | CYCLE | NOCYCLE | NO CYCLE
  | RESTART ((WITH | EQ)? sequenceNumber)?
  ;
sequenceNumber : (MINUS | PLUS)? INT_NUM ;

// ANALYZE / OPTIMIZE / REPAIR / CHECK / CHECKSUM TABLE.
tableMaintenanceStmt
  : ANALYZE (NO_WRITE_TO_BINLOG | LOCAL)? (TABLE | TABLES) tableName (COMMA tableName)*
    (PERSISTENT FOR (ALL | COLUMNS LPAREN (identifier (COMMA identifier)*)? RPAREN
                           INDEXES LPAREN (identifier (COMMA identifier)*)? RPAREN))?      #analyzeTable
  | OPTIMIZE (NO_WRITE_TO_BINLOG | LOCAL)? (TABLE | TABLES) tableName (COMMA tableName)*  #optimizeTable
  | REPAIR (NO_WRITE_TO_BINLOG | LOCAL)? (TABLE | TABLES) tableName (COMMA tableName)*
    (QUICK | EXTENDED | USE_FRM)*                                                         #repairTable
  | CHECK (TABLE | TABLES) tableName (COMMA tableName)*
    (FOR UPGRADE | QUICK | FAST | MEDIUM | EXTENDED | CHANGED)*                           #checkTable
  | CHECKSUM (TABLE | TABLES) tableName (COMMA tableName)* (QUICK | EXTENDED)?            #checksumTable
  ;

helpStmt : HELP (identifier | TEXT_STRING) ;

// ===================================================================== transactions, XA
transactionStmt
  : BEGIN WORK?                                                           #beginWork
  | START TRANSACTION (transactionCharacteristic (COMMA transactionCharacteristic)*)?  #startTransaction
  | COMMIT WORK? chainRelease                                             #commitWork
  | ROLLBACK WORK? TO SAVEPOINT? identifier                               #rollbackToSavepoint
  | ROLLBACK WORK? chainRelease                                           #rollbackWork
  | SAVEPOINT identifier                                                  #savepoint
  | RELEASE SAVEPOINT identifier                                          #releaseSavepoint
  ;
transactionCharacteristic : WITH CONSISTENT SNAPSHOT | READ ONLY | READ WRITE ;
chainRelease : (AND NO? CHAIN)? (NO? RELEASE)? ;

xaStmt
  : XA (START | BEGIN) xid (JOIN | RESUME)?
  | XA END xid (SUSPEND (FOR MIGRATE)?)?
  | XA PREPARE xid
  | XA COMMIT xid (ONE PHASE)?
  | XA ROLLBACK xid
  | XA RECOVER (FORMAT EQ TEXT_STRING)?
  ;
xid : xidPart (COMMA xidPart (COMMA INT_NUM)?)? ;
xidPart : TEXT_STRING | HEX_NUM | BIN_NUM | INT_NUM ;

// ===================================================================== SET, USE
setStatementFor : SET STATEMENT setAssignment (COMMA setAssignment)* FOR statement ;

setStmt
  : SET (GLOBAL | SESSION | LOCAL)? TRANSACTION transactionOption (COMMA transactionOption)*   #setTransaction
  | SET setItem (COMMA setItem)*                                                              #setVariables
  ;
transactionOption
  : ISOLATION LEVEL (READ UNCOMMITTED | READ COMMITTED | REPEATABLE READ | SERIALIZABLE)
  | READ ONLY
  | READ WRITE
  ;
setItem
  : NAMES (charsetName | DEFAULT) (COLLATE (collationName | DEFAULT))?                 #setNames
  | (CHARACTER SET | CHARSET) (charsetName | DEFAULT)                                #setCharset
  | setAssignment                                                                    #setVar
  ;
setAssignment : setTarget (EQ | ASSIGN) setValue ;
setTarget
  : USER_VAR
  | SYSTEM_VAR (DOT identifier)?
  | (GLOBAL | SESSION | LOCAL)? identifier (DOT identifier)?
  ;
setValue : expr | DEFAULT | ON | ALL | BINARY | ROW | SYSTEM ;

useStmt : USE identifier ;

// ===================================================================== SHOW, EXPLAIN, misc
showStmt
  : SHOW FULL? TABLES fromDatabase? likeOrWhere?                                 #showTables
  | SHOW (DATABASES | SCHEMAS) likeOrWhere?                                      #showDatabases
  | SHOW FULL? (COLUMNS | FIELDS) (FROM | IN) tableName fromDatabase? likeOrWhere?  #showColumns
  | SHOW (INDEX | INDEXES | KEYS) (FROM | IN) tableName fromDatabase? whereClause?  #showIndex
  | SHOW CREATE (TABLE | VIEW | SEQUENCE) tableName                             #showCreateTable
  | SHOW CREATE (DATABASE | SCHEMA) ifNotExists? identifier                     #showCreateDatabase
  | SHOW CREATE (PROCEDURE | FUNCTION | TRIGGER | EVENT) qualifiedIdentifier     #showCreateOther
  | SHOW CREATE USER userName?                                                  #showCreateUser
  | SHOW TABLE STATUS fromDatabase? likeOrWhere?                                 #showTableStatus
  | SHOW OPEN TABLES fromDatabase? likeOrWhere?                                  #showOpenTables
  | SHOW (GLOBAL | SESSION | LOCAL)? (VARIABLES | STATUS) likeOrWhere?           #showVariables
  | SHOW FULL? PROCESSLIST                                                       #showProcesslist
  | SHOW (WARNINGS | ERRORS) limitClause?                                        #showWarnings
  | SHOW COUNT LPAREN STAR RPAREN (WARNINGS | ERRORS)                            #showWarningCount
  | SHOW (CHARACTER SET | CHARSET) likeOrWhere?                                  #showCharset
  | SHOW COLLATION likeOrWhere?                                                  #showCollation
  | SHOW STORAGE? ENGINES                                                        #showEngines
  | SHOW ENGINE identifier (STATUS | identifier)                                 #showEngine
  | SHOW GRANTS (FOR userName)?                                                  #showGrants
  | SHOW (MASTER | SLAVE | identifier) STATUS                                    #showReplicationStatus
  | SHOW (BINARY | MASTER) LOGS                                                  #showBinaryLogs
  | SHOW (PROCEDURE | FUNCTION) STATUS likeOrWhere?                              #showRoutineStatus
  | SHOW (TRIGGERS | EVENTS) fromDatabase? likeOrWhere?                          #showTriggers
  | SHOW (PLUGINS | PRIVILEGES | PROFILES)                                       #showMisc
  ;
fromDatabase : (FROM | IN) identifier ;
likeOrWhere : LIKE textLiteral | WHERE expr ;
userName : (identifier | TEXT_STRING) (USER_VAR | AT_SIGN (identifier | TEXT_STRING))? | CURRENT_USER (LPAREN RPAREN)? ;

explainStmt
  : (EXPLAIN | DESCRIBE | DESC) tableName (identifier | TEXT_STRING)?                        #describeTable
  | EXPLAIN SHARDING statement                                                              #explainSharding
  | (EXPLAIN | DESCRIBE | DESC) (EXTENDED | FORMAT EQ identifier | identifier)? explainable #explainQuery
  | ANALYZE (FORMAT EQ identifier)? explainable                                             #analyzeQuery
  ;
explainable : selectStmt | insertStmt | updateStmt | deleteStmt ;

killStmt : KILL (HARD | SOFT)? (CONNECTION | QUERY)? killTarget ;
killTarget : INT_NUM | PARAM_MARKER | USER_VAR | functionCall | LPAREN expr RPAREN ;

lockTablesStmt : LOCK (TABLES | TABLE) lockItem (COMMA lockItem)* ;
lockItem : tableName tableAlias? (READ LOCAL? | LOW_PRIORITY? WRITE | WRITE CONCURRENT) ;
unlockTablesStmt : UNLOCK (TABLES | TABLE) ;

prepareStmt : PREPARE identifier FROM (textLiteral | USER_VAR) ;
executeStmt : EXECUTE (IMMEDIATE expr | identifier) (USING executeArg (COMMA executeArg)*)? ;
executeArg : expr ;
deallocateStmt : (DEALLOCATE | DROP) PREPARE identifier ;

// ===================================================================== stored programs
// CREATE PROCEDURE / FUNCTION / TRIGGER / EVENT with compound-statement bodies,
// as mariadb-dump writes them. The body (routineBody) is parsed but not
// modelled: the CREATE touches none of the tables its body names.
createRoutineStmt
  : CREATE (OR REPLACE)? viewDefiner? PROCEDURE ifNotExists? qualifiedIdentifier
    LPAREN (procParam (COMMA procParam)*)? RPAREN routineCharacteristic* routineBody       #createProcedure
  | CREATE (OR REPLACE)? viewDefiner? AGGREGATE? FUNCTION ifNotExists? qualifiedIdentifier
    LPAREN (funcParam (COMMA funcParam)*)? RPAREN RETURNS dataType routineCharacteristic*
    routineBody                                                                             #createFunction
  ;
procParam : (IN | OUT | INOUT)? identifier dataType ;
funcParam : identifier dataType ;
routineCharacteristic
  : COMMENT TEXT_STRING
  | LANGUAGE SQL
  | NOT? DETERMINISTIC
  | CONTAINS SQL
  | NO SQL
  | READS SQL DATA
  | MODIFIES SQL DATA
  | SQL SECURITY (DEFINER | INVOKER)
  ;
createTriggerStmt
  : CREATE (OR REPLACE)? viewDefiner? TRIGGER ifNotExists? qualifiedIdentifier
    (BEFORE | AFTER) (INSERT | UPDATE | DELETE) ON tableName FOR EACH ROW
    ((FOLLOWS | PRECEDES) identifier)? routineBody
  ;
createEventStmt
  : CREATE (OR REPLACE)? viewDefiner? EVENT ifNotExists? qualifiedIdentifier
    ON SCHEDULE eventSchedule (ON COMPLETION NOT? PRESERVE)?
    (ENABLE | DISABLE (ON SLAVE)?)? (COMMENT TEXT_STRING)? DO routineBody
  ;
eventSchedule
  : AT expr
  | EVERY expr intervalUnit (STARTS expr)? (ENDS expr)?
  ;
dropRoutineStmt : DROP (PROCEDURE | FUNCTION | TRIGGER | EVENT) ifExists? qualifiedIdentifier ;

routineBody : spStatement ;

// One statement of a stored program (a compound statement, flow control, or
// any ordinary statement).
spStatement
  : compoundStatement
  | ifStatement
  | caseStatement
  | loopStatement
  | whileStatement
  | repeatStatement
  | LEAVE identifier
  | ITERATE identifier
  | RETURN expr
  | OPEN identifier
  | FETCH (NEXT? FROM)? identifier INTO identifier (COMMA identifier)*
  | CLOSE identifier
  | (SIGNAL | RESIGNAL) signalValue? (SET signalItem (COMMA signalItem)*)?
  | statement
  ;
spLabel : identifier COLON ;
spBlock : (spStatement SEMI)+ ;
compoundStatement
  : spLabel? BEGIN (NOT ATOMIC)? (spDeclaration SEMI)* (spStatement SEMI)* END identifier?
  ;
spDeclaration
  : DECLARE identifier (COMMA identifier)* dataType (DEFAULT expr)?                         #declareVariable
  | DECLARE identifier CONDITION FOR (SQLSTATE VALUE? TEXT_STRING | INT_NUM)               #declareCondition
  | DECLARE identifier CURSOR (LPAREN (funcParam (COMMA funcParam)*)? RPAREN)?
    FOR queryExpression                                                                    #declareCursor
  | DECLARE (CONTINUE | EXIT | UNDO) HANDLER FOR handlerCondition (COMMA handlerCondition)*
    spStatement                                                                            #declareHandler
  ;
handlerCondition
  : SQLSTATE VALUE? TEXT_STRING
  | INT_NUM
  | SQLWARNING
  | NOT FOUND
  | SQLEXCEPTION
  | identifier
  ;
ifStatement
  : IF expr THEN spBlock (ELSEIF expr THEN spBlock)* (ELSE spBlock)? END IF
  ;
caseStatement
  : CASE expr? (WHEN expr THEN spBlock)+ (ELSE spBlock)? END CASE
  ;
loopStatement : spLabel? LOOP spBlock END LOOP identifier? ;
whileStatement : spLabel? WHILE expr DO spBlock END WHILE identifier? ;
repeatStatement : spLabel? REPEAT spBlock UNTIL expr END REPEAT identifier? ;
signalValue : SQLSTATE VALUE? TEXT_STRING | identifier ;
signalItem : identifier EQ expr ;

// ===================================================================== accounts
// GRANT / REVOKE / CREATE, ALTER, DROP, RENAME USER / SET PASSWORD / roles.
accountStmt
  : GRANT privilege (COMMA privilege)* ON privilegeObject TO userSpec (COMMA userSpec)*
    accountOption*                                                                          #grantPrivileges
  | GRANT roleName (COMMA roleName)* TO userSpec (COMMA userSpec)* (WITH ADMIN OPTION)?     #grantRole
  | REVOKE privilege (COMMA privilege)* ON privilegeObject FROM userName (COMMA userName)*  #revokePrivileges
  | REVOKE ALL PRIVILEGES? COMMA GRANT OPTION FROM userName (COMMA userName)*              #revokeAll
  | REVOKE (ADMIN OPTION FOR)? roleName (COMMA roleName)* FROM userName (COMMA userName)*  #revokeRole
  | CREATE (OR REPLACE)? USER ifNotExists? userSpec (COMMA userSpec)* accountOption*        #createUser
  | ALTER USER ifExists? userSpec (COMMA userSpec)* accountOption*                          #alterUser
  | DROP USER ifExists? userName (COMMA userName)*                                          #dropUser
  | RENAME USER userName TO userName (COMMA userName TO userName)*                          #renameUser
  | SET PASSWORD (FOR userName)? EQ passwordValue                                           #setPassword
  | CREATE (OR REPLACE)? ROLE ifNotExists? roleName (WITH ADMIN userName)?                 #createRole
  | DROP ROLE ifExists? roleName (COMMA roleName)*                                          #dropRole
  | SET DEFAULT ROLE (roleName | NONE) (FOR userName)?                                      #setDefaultRole
  ;
privilege : privilegeWord+ columnNameList? ;
privilegeWord
  : identifier | SELECT | INSERT | UPDATE | DELETE | CREATE | DROP | ALTER | INDEX | REFERENCES
  | SHOW | LOCK | GRANT | ALL | USAGE | SET | DATABASES
  ;
privilegeObject
  : (TABLE | FUNCTION | PROCEDURE)? (STAR (DOT STAR)? | identifier DOT STAR | identifier (DOT identifier)?)
  | userName
  ;
roleName : identifier | TEXT_STRING ;
userSpec : userName authOption? ;
authOption
  : IDENTIFIED BY PASSWORD? TEXT_STRING
  | IDENTIFIED (VIA | WITH) authPlugin (OR authPlugin)*
  ;
authPlugin : identifier ((USING | AS) (TEXT_STRING | PASSWORD LPAREN TEXT_STRING RPAREN))? ;
accountOption
  : REQUIRE (NONE | requireItem (AND? requireItem)*)
  | WITH (GRANT OPTION | identifier numLiteral)+
  | PASSWORD EXPIRE (DEFAULT | NEVER | INTERVAL INT_NUM DAY)?
  | ACCOUNT (LOCK | UNLOCK)
  ;
requireItem : identifier TEXT_STRING? ;   // SSL, X509, CIPHER '..', ISSUER '..', SUBJECT '..'
passwordValue : TEXT_STRING | (PASSWORD | identifier) LPAREN TEXT_STRING RPAREN ;   // PASSWORD('x'), OLD_PASSWORD('x')

// ===================================================================== FLUSH, HANDLER
flushStmt : FLUSH (NO_WRITE_TO_BINLOG | LOCAL)? flushOption (COMMA flushOption)* ;
flushOption
  : (TABLE | TABLES) (tableName (COMMA tableName)*)? (WITH READ LOCK | FOR EXPORT)?
  | flushWord+
  ;
// PRIVILEGES, [BINARY|ENGINE|ERROR|GENERAL|RELAY|SLOW] LOGS, STATUS, HOSTS, QUERY CACHE, ...
flushWord : IDENT | PRIVILEGES | LOGS | BINARY | ENGINE | STATUS | QUERY | CACHE | MASTER | SLAVE | USER ;

handlerStmt
  : HANDLER tableName OPEN (AS? identifier)?                                               #handlerOpen
  | HANDLER tableName READ identifier? handlerReadSpec whereClause? limitClause?           #handlerRead
  | HANDLER tableName CLOSE                                                                #handlerClose
  ;
handlerReadSpec : FIRST | NEXT | PREV | LAST | compOp LPAREN exprList RPAREN ;

// ===================================================================== expressions
exprList : expr (COMMA expr)* ;

expr
  : NOT expr                                             #notExpr
  | expr (AND | AND2) expr                               #andExpr
  | expr XOR expr                                        #xorExpr
  | expr (OR | OR2) expr                                 #orExpr
  | boolPri (IS NOT? (TRUE_SYM | FALSE_SYM | UNKNOWN))?   #primaryExpr
  ;

boolPri
  : boolPri IS NOT? NULL_SYM                             #isNullPri
  | boolPri compOp (ALL | ANY | SOME) subquery                  #compareSubqueryPri
  | boolPri compOp predicate                             #comparePri
  | bitExpr predicateOp?                                  #predicatePri  // = predicate, inlined: one rule level less per operand
  ;
compOp : EQ | NULL_SAFE_EQ | NE | LT | LE | GT | GE ;

// Left-factored so prediction never has to scan a whole operand.
predicate : bitExpr predicateOp? ;
predicateOp
  : NOT? IN (subquery | LPAREN exprList RPAREN)        #inOp
  | NOT? BETWEEN bitExpr AND predicate                 #betweenOp
  | SOUNDS LIKE bitExpr                                #soundsLikeOp
  | NOT? LIKE simpleExpr (ESCAPE simpleExpr)?          #likeOp
  | NOT? (REGEXP | RLIKE) bitExpr                      #regexpOp
  ;

bitExpr
  : bitExpr CARET bitExpr                                    #bitXorExpr
  | bitExpr (STAR | SLASH | PERCENT | DIV | MOD) bitExpr     #mulExpr
  | bitExpr (PLUS | MINUS) bitExpr                           #addExpr
  | bitExpr (SHL | SHR) bitExpr                              #shiftExpr
  | bitExpr AMP bitExpr                                      #bitAndExpr
  | bitExpr PIPE bitExpr                                     #bitOrExpr
  | simpleExpr                                               #simpleBitExpr
  ;

simpleExpr
  : simpleExpr COLLATE collationName                         #collateExpr
  | simpleExpr CONCAT_PIPES simpleExpr                       #concatExpr
  | (MINUS | PLUS | TILDE) simpleExpr                        #unaryExpr
  | BANG simpleExpr                                          #bangExpr
  | BINARY simpleExpr                                        #binaryExpr
  | literal                                                  #literalExpr
  | PARAM_MARKER                                             #paramExpr
  | USER_VAR ASSIGN expr                                     #assignExpr
  | USER_VAR                                                 #userVarExpr
  | SYSTEM_VAR (DOT identifier)?                             #systemVarExpr
  | ROW? LPAREN exprList RPAREN                              #parenExpr    // before functionExpr: ROW(..) is a row
  | functionCall                                             #functionExpr
  | identifier (DOT identifier (DOT identifier)?)?           #columnExpr   // = columnRef, inlined
  | subquery                                                 #subqueryExpr
  | EXISTS subquery                                          #existsExpr
  | CASE expr? (WHEN expr THEN expr)+ (ELSE expr)? END       #caseExpr
  | INTERVAL expr intervalUnit                               #intervalExpr
  | MATCH LPAREN exprList RPAREN AGAINST LPAREN bitExpr fullTextModifier? RPAREN  #matchExpr
  | (NEXT | PREVIOUS) VALUE FOR tableName                    #sequenceExpr
  | LBRACE identifier expr RBRACE                            #odbcExpr
  ;

fullTextModifier
  : IN identifier MODE                         // IN BOOLEAN MODE
  | IN NATURAL identifier MODE (WITH QUERY identifier)?   // IN NATURAL LANGUAGE MODE
  | WITH QUERY identifier                      // WITH QUERY EXPANSION
  ;

functionCall
  : aggregateFunction overClause?                                        #aggregateCall
  | GROUP_CONCAT LPAREN DISTINCT? exprList orderByClause? (SEPARATOR textLiteral)? RPAREN  #groupConcatCall
  | CAST LPAREN expr AS castType RPAREN                                  #castCall
  | CONVERT LPAREN expr (COMMA castType | USING charsetName) RPAREN      #convertCall
  | EXTRACT LPAREN intervalUnit FROM expr RPAREN                         #extractCall
  | POSITION LPAREN bitExpr IN expr RPAREN                               #positionCall
  | (SUBSTRING | SUBSTR) LPAREN expr (COMMA expr (COMMA expr)? | FROM expr (FOR expr)?) RPAREN  #substringCall
  | TRIM LPAREN ((BOTH | LEADING | TRAILING) expr? FROM)? expr (FROM expr)? RPAREN  #trimCall
  | CHAR LPAREN exprList (USING charsetName)? RPAREN                     #charCall
  | (CURRENT_TIMESTAMP | LOCALTIME | LOCALTIMESTAMP | CURRENT_DATE | CURRENT_TIME
     | UTC_DATE | UTC_TIME | UTC_TIMESTAMP | CURRENT_USER) (LPAREN INT_NUM? RPAREN)?  #niladicCall
  | (IF | INSERT | REPLACE | LEFT | RIGHT | MOD | DATABASE | SCHEMA | DEFAULT | VALUES | INTERVAL | REPEAT)
    LPAREN exprList? RPAREN                                              #keywordCall
  | qualifiedIdentifier LPAREN (exprList)? RPAREN overClause?            #genericCall
  ;

aggregateFunction
  : COUNT LPAREN ALL? STAR RPAREN
  | COUNT LPAREN (DISTINCT | DISTINCTROW) exprList RPAREN
  | (COUNT | SUM | MIN | MAX | AVG) LPAREN (ALL | DISTINCT)? expr RPAREN
  ;

overClause : OVER (LPAREN windowSpec RPAREN | identifier) ;
windowSpec
  : identifier? (PARTITION BY exprList)? orderByClause? windowFrame?
  ;
windowFrame
  : (ROWS | RANGE) (frameBound | BETWEEN frameBound AND frameBound)
  ;
frameBound
  : UNBOUNDED (PRECEDING | FOLLOWING)
  | CURRENT ROW
  | expr (PRECEDING | FOLLOWING)
  ;

castType
  : BINARY (LPAREN INT_NUM RPAREN)?
  | (CHAR | CHARACTER | NATIONAL CHAR) (LPAREN INT_NUM RPAREN)? ((CHARACTER SET | CHARSET) charsetName | BINARY)?
  | (SIGNED | UNSIGNED) (INT | INTEGER)?
  | (DECIMAL | DEC | NUMERIC | FLOAT | DOUBLE | REAL) (LPAREN INT_NUM (COMMA INT_NUM)? RPAREN)?
  | (DATE | DATETIME | TIME | TIMESTAMP) (LPAREN INT_NUM RPAREN)?
  | (INT | INTEGER | JSON | YEAR)
  | identifier
  ;

intervalUnit
  : MICROSECOND | SECOND | MINUTE | HOUR | DAY | WEEK | MONTH | QUARTER | YEAR
  | SECOND_MICROSECOND | MINUTE_MICROSECOND | MINUTE_SECOND | HOUR_MICROSECOND | HOUR_SECOND
  | HOUR_MINUTE | DAY_MICROSECOND | DAY_SECOND | DAY_MINUTE | DAY_HOUR | YEAR_MONTH
  ;

literal
  : textLiteral
  | NCHAR_STRING
  | numLiteral
  | HEX_NUM
  | BIN_NUM
  | UNDERSCORE_CHARSET (HEX_NUM | BIN_NUM)
  | NULL_SYM
  | TRUE_SYM
  | FALSE_SYM
  | (DATE | TIME | TIMESTAMP) TEXT_STRING
  ;
textLiteral : UNDERSCORE_CHARSET? TEXT_STRING+ ;
numLiteral : INT_NUM | DECIMAL_NUM | FLOAT_NUM ;
signedLiteral : (MINUS | PLUS)? numLiteral | literal ;

// ===================================================================== names
tableName : identifier (DOT identifier)? ;
columnRef : identifier (DOT identifier (DOT identifier)?)? ;
columnNameList : LPAREN identifier (COMMA identifier)* RPAREN ;
qualifiedIdentifier : identifier (DOT identifier)? ;
charsetName : identifier | TEXT_STRING | BINARY ;
collationName : identifier | TEXT_STRING | BINARY ;

identifier : IDENT | BQ_IDENT | DQ_IDENT | identKeyword ;

// Non-reserved keywords: usable as identifiers (MariaDB's reserved words are not).
identKeyword
  : ACTION | AFTER | AGAINST | ALGORITHM | ALWAYS | ANY | AT | AUTO_INCREMENT | AVG | BEGIN | 
    BIT | BOOL | BOOLEAN | BROADCAST | BTREE | CASCADED | CHAIN | CHARSET | COLLATION | COLUMNS | 
    COLUMN_FORMAT | COMMENT | COMMIT | COMMITTED | COMPACT | COMPRESSED | CONCURRENT | CONNECTION | CONSISTENT | COPY | 
    CURRENT | DATA | DATE | DATETIME | DAY | DBPARTITION | DEALLOCATE | DIRECTORY | DISABLE | DO | DUPLICATE | 
    DYNAMIC | ENABLE | ENCRYPTION | END | ENGINE | ENGINES | ENUM | ERRORS | ESCAPE | EVENT | 
    EVENTS | EXCLUSIVE | EXECUTE | EXTENDED | FIELDS | FIRST | FIXED | FOLLOWING | FORMAT | FULL | 
    FUNCTION | GENERATED | GLOBAL | GRANTS | HARD | HASH | HOUR | IGNORED | IMMEDIATE | INDEXES | INPLACE | 
    INVISIBLE | ISOLATION | JSON | KEY_BLOCK_SIZE | LAST | LEVEL | LOCAL | LOCKED | LOGS | MASTER | 
    MICROSECOND | MIGRATE | MINUTE | MODE | MODIFY | MONTH | NAMES | NATIONAL | NEXT | NO | 
    NONE | NOWAIT | OFFSET | ONE | ONLY | OPEN | OPTION | PARTIAL | PASSWORD | PERSISTENT | PHASE | PLUGINS | 
    PRECEDING | PREPARE | PREVIOUS | PRIVILEGES | PROCESSLIST | PROFILES | QUARTER | QUERY | QUICK | RECOVER | 
    REDUNDANT | REPEATABLE | RESUME | ROLLBACK | ROLLUP | ROW | ROW_FORMAT | SAVEPOINT | SECOND | SEPARATOR | 
    SEQUENCE | SERIAL | SERIALIZABLE | SESSION | SHARDING | SHARE | SIGNED | SIMPLE | SKIP_SYM | SLAVE | 
    SNAPSHOT | SOFT | SOME | SOUNDS | SQL_BUFFER_RESULT | SQL_CACHE | SQL_NO_CACHE | START | STATEMENT | STATUS | STORAGE | 
    STORED | SUSPEND | SYSTEM | TABLES | TEMPORARY | TEXT | TIME | TIMESTAMP | TRANSACTION | TRIGGER | 
    TRIGGERS | TRUNCATE | TYPE | UNBOUNDED | UNCOMMITTED | UNKNOWN | USER | VALUE | VARIABLES | VERSIONING | 
    VIEW | VIRTUAL | WAIT | WARNINGS | WEEK | WORK | XA | YEAR |
    CACHE | CHANGED | CHECKSUM | COALESCE | CYCLE | DEFINER | DISCARD | EXCHANGE | FAST | HELP |
    HISTORY | IMPORT | INCREMENT | INVOKER | LESS | LIST | MAX_ROWS | MEDIUM | MINVALUE | MIN_ROWS |
    NOCACHE | NOCYCLE | NOMAXVALUE | NOMINVALUE | PARTITIONING | PARTITIONS | REBUILD | REMOVE | REORGANIZE | REPAIR |
    RESTART | SECURITY | SUBPARTITION | SUBPARTITIONS | SYSTEM_TIME | TABLESPACE | THAN | UPGRADE | USE_FRM |
    ACCOUNT | ADMIN | AGGREGATE | ATOMIC | CLOSE | COMPLETION | CONTAINS | ENDS | EVERY | EXPIRE | EXPORT |
    FLUSH | FOLLOWS | FOUND | HANDLER | IDENTIFIED | LANGUAGE | NEVER | PRECEDES | PRESERVE | PREV | PROXY |
    RETURNS | ROLE | SCHEDULE | STARTS | UNTIL | VIA
  ;
