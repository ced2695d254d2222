-- Neovim (0.7 and later), headless: open a file with headlamp-lint's language server attached, wait for
-- its diagnostics, write them as Neovim understood them (0-based line, byte column), then quit.
-- Environment: HL_SERVER (the server command, words separated by tabs), HL_ROOT, HL_FILE, HL_OUT.
local cmd = vim.split(vim.env.HL_SERVER, "\t", { plain = true })
vim.cmd("edit " .. vim.fn.fnameescape(vim.env.HL_FILE))
local buf = vim.api.nvim_get_current_buf()
local config = { name = "headlamp-lint", cmd = cmd, root_dir = vim.env.HL_ROOT }
local client
if vim.lsp.start then
  client = vim.lsp.start(config, { bufnr = buf })
else
  client = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, client)
end
local ok = vim.wait(60000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local lines = {}
if not ok then
  table.insert(lines, "timeout: no diagnostics")
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(lines, string.format("%d:%d-%d:%d %s %s %s", d.lnum, d.col, d.end_lnum, d.end_col,
    vim.diagnostic.severity[d.severity], d.code or lsp.code, d.message))
end
table.sort(lines)
vim.fn.writefile(lines, vim.env.HL_OUT)
vim.lsp.stop_client(client)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client) == nil end, 50)
vim.cmd("qa!")
