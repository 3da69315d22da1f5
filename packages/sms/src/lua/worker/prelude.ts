// The trusted prelude: Lua source that runs once per Lua state with the full standard library
// and returns the factory of script environments (and `collectgarbage`, for the host only).
// Scripts never see the real globals: each call gets a new table holding copies of the safe
// libraries, so nothing one call sets is seen by the next, and nothing one script changes in a
// library is seen by another.

/** Lua source of the sandbox; its argument is the helpers table (`json`, `url`, `base64`, `crypto`). */
export const PRELUDE = `
local helpers = ...
local pairs, ipairs, type, rawget, error, pcall = pairs, ipairs, type, rawget, error, pcall
local pack, unpack = table.pack, table.unpack
local raw_setmetatable = setmetatable

-- string methods ("x"):upper() resolve through the real string table, unreachable once the
-- string metatable is protected; dump goes from it too.
string.dump = nil
getmetatable('').__metatable = false

local function copy(t)
  local r = {}
  for k, v in pairs(t) do r[k] = v end
  return r
end

-- __gc finalizers run with hooks off (no deadline) and their errors are swallowed: refuse them.
local function sandbox_setmetatable(t, mt)
  if type(mt) == 'table' and rawget(mt, '__gc') ~= nil then
    error('__gc metamethods are not allowed in the sandbox', 2)
  end
  return raw_setmetatable(t, mt)
end

-- A real xpcall runs its handler inside the failing call, where an error raised by the
-- deadline hook leaves hooks off: a looping handler would never be stopped. This one calls the
-- handler after unwinding, with the deadline in force.
local function sandbox_xpcall(f, handler, ...)
  local r = pack(pcall(f, ...))
  if r[1] then return unpack(r, 1, r.n) end
  local ok, handled = pcall(handler, r[2])
  return false, handled
end

local base = {
  'assert', 'error', 'ipairs', 'next', 'pairs', 'pcall', 'rawequal', 'rawget', 'rawlen', 'rawset',
  'select', 'tonumber', 'tostring', 'type', 'getmetatable', '_VERSION',
}
local libs = {
  string = copy(string), table = copy(table), math = copy(math), utf8 = copy(utf8),
  coroutine = copy(coroutine),
  os = { time = os.time, date = os.date, clock = os.clock, difftime = os.difftime },
  json = helpers.json, url = helpers.url, base64 = helpers.base64, crypto = helpers.crypto,
}
local G = _G

return function()
  local env = {}
  for _, name in ipairs(base) do env[name] = G[name] end
  env.setmetatable = sandbox_setmetatable
  env.xpcall = sandbox_xpcall
  for name, lib in pairs(libs) do env[name] = copy(lib) end
  env._G = env
  return env
end, collectgarbage
`;
