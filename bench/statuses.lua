-- wrk: remembers the first answer that is not 2xx, and prints it at the end, so that a bench
-- table never shows errors without saying what they were.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status >= 300 and first_bad == nil then
    first_bad = status .. " " .. string.sub(body or "", 1, 160)
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local bad = thread:get("first_bad")
    if bad ~= nil then
      io.write("first non-2xx: ", bad, "\n")
      return
    end
  end
end
