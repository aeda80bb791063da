-- wrk script for POST /v1/match: the body comes from the file named by
-- the BODY environment variable (run.sh writes it); non-200 answers are
-- counted and reported, so a load test never hides errors.
local f = assert(io.open(os.getenv("BODY"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + t:get("bad")
  end
  io.write(string.format("non-200 answers: %d\n", total))
  for _, p in ipairs({50, 90, 99}) do
    io.write(string.format("p%d latency: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("throughput: %.1f requests/s\n", summary.requests / (summary.duration / 1e6)))
end
