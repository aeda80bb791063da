// DuckDB side of bench/peers/run.sh: loads the exported candidates and
// partners into an in-memory database (DuckDB embedded through its Node
// API, no network, no extension), runs the same supply-chain scoring and
// top k as the PostGIS query, with great-circle distances on the sphere
// of radius 6371.0088 km, checks the ranking against sitematch's, then
// runs it back to back for the duration and prints the queries per
// second.
//
//   node duckdb.mjs DIR SECONDS THREADS
import { DuckDBInstance } from "@duckdb/node-api";

const [dir, seconds = "10", threads = "2"] = process.argv.slice(2);
const db = await DuckDBInstance.create(":memory:", { threads: String(threads) });
const con = await db.connect();
await con.run(`CREATE TABLE cand AS SELECT id, radians(lat) AS phi, radians(lon) AS lam, fixed, supply_weight AS ws
  FROM read_csv('${dir}/candidates.csv', header = true)`);
await con.run(`CREATE TABLE partner AS SELECT radians(lat) AS phi, radians(lon) AS lam, weight AS w
  FROM read_csv('${dir}/partners.csv', header = true)`);
await con.run(`CREATE TABLE params AS SELECT * FROM read_csv('${dir}/params.csv', header = true)`);
const query = `
  SELECT c.id, c.fixed + 100 * c.ws * sum(p.w * least(1, greatest(0, (pr.far_km - 2 * 6371.0088 * asin(sqrt(
      pow(sin((p.phi - c.phi) / 2), 2) + cos(c.phi) * cos(p.phi) * pow(sin((p.lam - c.lam) / 2), 2))))
      / (pr.far_km - pr.near_km)))) / sum(p.w) AS score
  FROM cand c, partner p, params pr
  GROUP BY c.id, c.fixed, c.ws
  ORDER BY score DESC, c.id
  LIMIT (SELECT "limit" FROM params)`;
const rows = (await con.runAndReadAll(query)).getRows();
console.log("top: " + rows.map((r) => r[0]).join(","));
const end = Date.now() + Number(seconds) * 1000;
let n = 0;
const start = Date.now();
while (Date.now() < end) {
  await con.runAndReadAll(query);
  n++;
}
console.log(`qps: ${(n / ((Date.now() - start) / 1000)).toFixed(1)} (${n} queries)`);
