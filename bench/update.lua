-- wrk: every request updates the secret with new content, so each one makes a new revision.
dofile("bench/statuses.lua")

local n = 0
request = function()
  n = n + 1
  local body = '{"content":{"password":"v' .. n .. '-' .. math.random(1, 1000000000) .. '"}}'
  return wrk.format("PATCH", nil, nil, body)
end
