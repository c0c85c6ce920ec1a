const D=require("better-sqlite3");
const fs=require("fs");fs.rmSync("/tmp/h10t",{recursive:true,force:true});fs.mkdirSync("/tmp/h10t");
const K=(h)=>`"x'${h.repeat(32)}'"`;
const cp=require("child_process");
function open(f,k){const d=new D(f); d.pragma(`cipher='sqlcipher'`); d.pragma("legacy=4"); if(k) d.pragma(`key=${K(k)}`); return d;}
const p=new D("/tmp/h10t/p.db"); p.pragma("journal_mode=WAL"); p.exec("create table t(x); create index ti on t(x); create virtual table f using fts5(a); insert into f values('hello world');");
const ins=p.prepare("insert into t values (?)"); p.transaction(()=>{for(let i=0;i<20000;i++) ins.run("PLAINMARK"+i)})();
p.pragma("wal_checkpoint(TRUNCATE)"); p.close();
fs.copyFileSync("/tmp/h10t/p.db","/tmp/h10t/c.db");
let t0=Date.now();
const c=new D("/tmp/h10t/c.db"); c.pragma(`cipher='sqlcipher'`); c.pragma("legacy=4"); 
console.log(c.pragma("journal_mode=PERSIST",{simple:true}));
c.pragma(`rekey=${K("ef")}`);
console.log("rekey ms", Date.now()-t0, fs.readdirSync("/tmp/h10t").map(f=>f+":"+fs.statSync("/tmp/h10t/"+f).size));
console.log("marker in c.db:", cp.execSync("grep -c PLAINMARK /tmp/h10t/c.db || true").toString().trim(), "journal:", cp.execSync("grep -c PLAINMARK /tmp/h10t/c.db-journal || true").toString().trim());
c.pragma("journal_mode=WAL"); console.log(c.prepare("select count(*) n from t").get(), c.prepare("select * from f where f match 'hello'").all(), c.pragma("integrity_check",{simple:true})); c.close();
console.log(fs.readdirSync("/tmp/h10t"));
// enc->enc
fs.copyFileSync("/tmp/h10t/c.db","/tmp/h10t/d.db");
const d=open("/tmp/h10t/d.db","ef"); d.pragma("journal_mode=PERSIST"); t0=Date.now(); d.pragma(`rekey=${K("12")}`); console.log("rekey2 ms", Date.now()-t0); d.close();
const e=open("/tmp/h10t/d.db","12"); console.log(e.prepare("select count(*) n from t").get());
