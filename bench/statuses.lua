-- wrk: counts every answer that is not 2xx (wrk's own count leaves out 3xx, so a page that
-- redirects to sign-in would look like a success), remembers the first, and prints both at the
-- end, so that a bench table never shows a rate of failures as a rate of answers.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status < 200 or status >= 300 then
    bad = (bad or 0) + 1
    if first_bad == nil then
      first_bad = status .. " " .. string.sub(body or "", 1, 160)
    end
  end
end

function done(summary, latency, requests)
  local total, first = 0, nil
  for _, thread in ipairs(threads) do
    total = total + (thread:get("bad") or 0)
    first = first or thread:get("first_bad")
  end
  io.write("answers not 2xx: ", total, "\n")
  if first ~= nil then
    io.write("first non-2xx: ", first, "\n")
  end
end
