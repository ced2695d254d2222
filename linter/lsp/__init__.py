"""``headlamp-lint server``: the Language Server Protocol over standard input and output.

Built on pygls (the optional extra ``headlamp-lint[lsp]``), which the rest
of the linter never imports: ``linter.cli`` imports this package only when
the ``server`` command runs.

- ``positions``: the linter's 1-based positions and LSP's 0-based, code-unit ones;
- ``project``: the workspace as one project (settings, files, the editor's buffers, runs);
- ``convert``: diagnostics as LSP diagnostics;
- ``actions``: code actions (fixes, suppressions); ``hover``: rule docs on hover;
- ``server``: the protocol.
"""

from __future__ import annotations


def serve() -> None:
    from linter.lsp.server import serve as run

    run()
