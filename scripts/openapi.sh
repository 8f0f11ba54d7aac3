#!/usr/bin/env bash
# Regenerates the committed API contract from the code, then the TypeScript types from it:
#
#   api/openapi/openapi.yaml               what /openapi/v1.yaml serves (Microsoft.AspNetCore.OpenApi)
#   clients/typescript/src/schema.d.ts     openapi-typescript's types for that document
#
# Run it after changing an endpoint, a request or a response record; commit both files. The
# test command fails while either differs from what the code generates. Needs no database.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

dotnet build tests/Lobby.IntegrationTests -c Release -nologo -v quiet
LOBBY_UPDATE_OPENAPI=1 dotnet test tests/Lobby.IntegrationTests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~OpenApiDocumentTests.Committed_contract_matches_the_generated_document"
echo "openapi: wrote api/openapi/openapi.yaml"

cd clients/typescript
[ -x node_modules/.bin/openapi-typescript ] || npm ci --no-audit --no-fund --loglevel=error
node_modules/.bin/openapi-typescript ../../api/openapi/openapi.yaml --output src/schema.d.ts
echo "openapi: wrote clients/typescript/src/schema.d.ts"
