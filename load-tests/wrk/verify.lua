-- wrk script of load-tests/wrk.sh: each request takes the next "login code" line of REQUESTS, each
-- thread its own lines (thread t of n takes lines t, t+n, t+2n, ...), so no code is sent twice.
-- TARGET: verify (the gateway), redis or durable (the benchmark ceilings), bare.
local target = os.getenv("TARGET") or "verify"
local tenant = os.getenv("TENANT") or "lt-001"
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  lines = {}
  for line in io.lines(os.getenv("REQUESTS")) do
    local login, code = line:match("^(%S+) (%S+)$")
    table.insert(lines, {login, code})
  end
  stride = tonumber(os.getenv("THREADS") or "2")
  i = id + 1 -- "id" was set on this thread by setup()
  errors = 0
end

function request()
  local item = lines[i]
  if item == nil then
    if os.getenv("STOP_AT_END") then
      wrk.thread:stop() -- each code once and no replay (load-tests/wrk-yesterday.sh)
    end
    item = lines[#lines] -- out of lines: the run was longer than the file; the replays show as errors
  end
  i = i + stride
  local body = '{"otp":"' .. item[2] .. '","operation":"LOGIN"}'
  local headers = {["Content-Type"] = "application/json"}
  local path
  if target == "verify" then
    path = "/v1/tenants/" .. tenant .. "/users/" .. item[1] .. "/otp/verification"
    headers["Authorization"] = "Bearer " .. tenant .. "-portal-key"
  elseif target == "bare" then
    path = "/benchmark/bare"
  else
    path = "/benchmark/" .. target .. "/" .. tenant .. "/" .. item[1]
  end
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status ~= 200 or not body:find("ACCEPTED", 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local refused = 0
  for _, t in ipairs(threads) do
    refused = refused + (t:get("errors") or 0)
  end
  io.write(string.format("refused or failed: %d\n", refused))
end
