-- Prints one JSON line with wrk's own latency percentiles (microseconds),
-- the count of each HTTP status and of cache hits (X-Cache: HIT, or an Age
-- above 0 from an edge cache). Extra arguments after "--" are paths requested
-- in turn (the soak mix); "@FILE" reads them from FILE, one a line, each
-- thread starting at its own place (the traffic mix).

local threads = {}
local paths = {}
local counter = 0
statuses = {}
hits = 0
offset = 0

setup = function(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads * 7919)
end

init = function(args)
  for _, path in ipairs(args) do
    if string.sub(path, 1, 1) == "@" then
      for line in io.lines(string.sub(path, 2)) do
        paths[#paths + 1] = line
      end
    else
      paths[#paths + 1] = path
    end
  end
  counter = offset
end

request = function()
  if #paths == 0 then
    return wrk.request()
  end
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local cache = headers["X-Cache"] or headers["x-cache"] or ""
  local age = tonumber(headers["Age"] or headers["age"] or "0") or 0
  if string.find(string.upper(cache), "HIT") or age > 0 then
    hits = hits + 1
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local counts = {}
  local hit_count = 0
  for _, thread in ipairs(threads) do
    hit_count = hit_count + thread:get("hits")
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    parts[#parts + 1] = string.format('"%d": %d', status, count)
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "hits": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"statuses": {%s}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes, hit_count,
    e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ", "),
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max))
end
