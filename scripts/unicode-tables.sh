#!/usr/bin/env bash
# Regenerates the Unicode data behind Lobby's identifier rules (docs/decisions/0021) from ICU4N:
# src/Lobby.Api/Services/Auth/UnicodeScripts.Table.cs and src/Lobby.Api/Services/Auth/nfkc_cf.nrm.
# Run after changing ICU4N's version; the unit tests fail while the committed data differs from it.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run tools/unicode-tables/UnicodeTables.cs -- src/Lobby.Api/Services/Auth
