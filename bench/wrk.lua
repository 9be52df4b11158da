-- Prints one JSON line with wrk's own latency percentiles (microseconds).
-- Extra arguments after "--" are paths requested in turn (the soak mix).

local paths = {}
local counter = 0

init = function(args)
  for _, path in ipairs(args) do
    paths[#paths + 1] = path
  end
end

request = function()
  if #paths == 0 then
    return wrk.request()
  end
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max))
end
