#!/usr/bin/env bash
# Builds ttads-gateway offline from Debian's Go packages (GOPATH mode; no module proxy):
# generates the Go stubs, gateway handlers and OpenAPI document from proto/ttads/v1, then
# `go build`s main.go against them. Called by the CMake target ttads-gateway.
#   build.sh PROTO_DIR SOURCE_DIR WORK_DIR OUTPUT
set -euo pipefail
proto_dir=$1 source_dir=$2 work=$3 output=$4
gopath=$work/gopath
rm -rf "$gopath/src/ttads"
mkdir -p "$gopath/src/ttads/gateway" "$work/swagger" "$work/gocache" "$(dirname "$output")"

m=Mgoogle/protobuf/struct.proto=github.com/golang/protobuf/ptypes/struct
m=$m,Mgoogle/protobuf/wrappers.proto=github.com/golang/protobuf/ptypes/wrappers
m=$m,Mgoogle/protobuf/field_mask.proto=google.golang.org/genproto/protobuf/field_mask
m=$m,Mgoogle/protobuf/empty.proto=github.com/golang/protobuf/ptypes/empty
m=$m,Mgoogle/protobuf/timestamp.proto=github.com/golang/protobuf/ptypes/timestamp
m=$m,Mgoogle/protobuf/duration.proto=github.com/golang/protobuf/ptypes/duration
m=$m,Mgoogle/protobuf/any.proto=github.com/golang/protobuf/ptypes/any

cd "$proto_dir"
protoc -I third_party -I . --plugin=protoc-gen-go=/usr/bin/protoc-gen-go \
  --go_out="$m,plugins=grpc:$gopath/src" \
  --grpc-gateway_out="logtostderr=true,$m:$gopath/src" \
  ttads/v1/*.proto
protoc -I third_party -I . \
  --swagger_out="logtostderr=true,allow_merge=true,merge_file_name=ttads,$m:$work/swagger" \
  ttads/v1/*.proto

cp "$source_dir"/*.go "$gopath/src/ttads/gateway/"
cp "$work/swagger/ttads.swagger.json" "$gopath/src/ttads/gateway/"
cd "$gopath/src/ttads/gateway"
GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" GOPROXY=off GOFLAGS=-mod=mod \
  CGO_ENABLED=0 GOCACHE="$work/gocache" go build -o "$output" . 2>&1 |
  grep -v '^go: warning' || true
test -x "$output"
