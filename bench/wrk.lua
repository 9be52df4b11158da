-- Prints one JSON line with wrk's own latency percentiles (microseconds),
-- the count of each HTTP status and of cache hits: `hits` (X-Cache: HIT, or
-- an Age above 0 from an edge cache), `app_hits` (the app's X-Cache: HIT)
-- and `edge_hits` (Varnish's X-Edge-Cache: HIT).
--
-- Extra arguments after "--" are paths requested in turn (the soak mix);
-- "@FILE" reads them from FILE, one a line. A line "PATH<TAB>VALUE" sends
-- VALUE as the request's Accept-Language (a reader's browser language). By default each thread starts
-- at its own place. With "start=N stride=T" the threads walk the file as
-- one stream from line N (thread i takes N+i, N+i+T, ...), so a later run
-- can continue where an earlier one stopped.
--
-- With WRK_PACE_RPS set in the environment (requests per second per thread)
-- the load is open-loop: each thread sends at moments drawn from a Poisson
-- process of that rate, whatever the answers' speed, over its connections.
-- A send that finds every connection busy goes out late; `late` counts
-- them and `max_late_ms` says by how much (wrk times each request from
-- its actual send, so lateness is reported beside the latencies).

local threads = {}
local paths = {}
local languages = {}
local counter = 0
local stride = 0
statuses = {}
hits = 0
app_hits = 0
edge_hits = 0
offset = 0
index = 0
late = 0
max_late_ms = 0

local pace = tonumber(os.getenv("WRK_PACE_RPS") or "")
if pace and pace > 0 then
  local ffi = require("ffi")
  ffi.cdef[[
    typedef struct { long tv_sec; long tv_usec; } wrk_timeval;
    int gettimeofday(wrk_timeval *tv, void *tz);
  ]]
  local tv = ffi.new("wrk_timeval")
  local function now_ms()
    ffi.C.gettimeofday(tv, nil)
    return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
  end
  local mean_gap = 1000 / pace
  local slot = nil
  delay = function()
    local now = now_ms()
    if slot == nil then
      math.randomseed(index * 7919 + 13)
      slot = now
    end
    slot = slot - mean_gap * math.log(1 - math.random())
    local wait = slot - now
    if wait < 0 then
      late = late + 1
      if -wait > max_late_ms then
        max_late_ms = -wait
      end
      return 0
    end
    return math.floor(wait)
  end
end

setup = function(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads * 7919)
  thread:set("index", #threads - 1)
end

init = function(args)
  local start = nil
  for _, arg in ipairs(args) do
    local name, value = string.match(arg, "^(%a+)=(%d+)$")
    if name == "start" then
      start = tonumber(value)
    elseif name == "stride" then
      stride = tonumber(value)
    elseif string.sub(arg, 1, 1) == "@" then
      for line in io.lines(string.sub(arg, 2)) do
        local path, language = string.match(line, "^([^\t]*)\t(.+)$")
        paths[#paths + 1] = path or line
        languages[#paths] = language
      end
    else
      paths[#paths + 1] = arg
    end
  end
  if start ~= nil and stride > 0 then
    counter = start + index
  else
    stride = 1
    counter = offset
  end
end

request = function()
  if #paths == 0 then
    return wrk.request()
  end
  local at = (counter % #paths) + 1
  counter = counter + stride
  local language = languages[at]
  if language == nil then
    return wrk.format(nil, paths[at])
  end
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Accept-Language"] = language
  return wrk.format(nil, paths[at], headers)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local cache = headers["X-Cache"] or headers["x-cache"] or ""
  local edge = headers["X-Edge-Cache"] or headers["x-edge-cache"] or ""
  local age = tonumber(headers["Age"] or headers["age"] or "0") or 0
  if string.find(string.upper(cache), "HIT") or age > 0 then
    hits = hits + 1
  end
  if string.upper(cache) == "HIT" then
    app_hits = app_hits + 1
  end
  if string.upper(edge) == "HIT" then
    edge_hits = edge_hits + 1
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local counts = {}
  local hit_count, app_count, edge_count = 0, 0, 0
  local late_count, late_ms = 0, 0
  for _, thread in ipairs(threads) do
    late_count = late_count + thread:get("late")
    late_ms = math.max(late_ms, thread:get("max_late_ms"))
    hit_count = hit_count + thread:get("hits")
    app_count = app_count + thread:get("app_hits")
    edge_count = edge_count + thread:get("edge_hits")
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
    '"app_hits": %d, "edge_hits": %d, "late": %d, "max_late_ms": %.1f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"statuses": {%s}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes, hit_count,
    app_count, edge_count, late_count, late_ms,
    e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ", "),
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max))
end
