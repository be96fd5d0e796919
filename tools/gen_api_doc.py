#!/usr/bin/env python3
"""Generates docs/api.md, the REST and gRPC reference, from proto/ttads/v1/*.proto.

The .proto files are read as text (no protoc, python3 standard library only):
per service its comment, then per RPC its gRPC name, HTTP method and path (and
additional bindings), request and response messages and comment; then one
section per message (and enum) listing its fields with type and the first line
of their comment.

    python3 tools/gen_api_doc.py           # writes docs/api.md
    python3 tools/gen_api_doc.py --check   # exit 1 when docs/api.md is stale
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTO_ROOT = Path("proto")
PROTO_GLOB = "ttads/v1/*.proto"
OUTPUT = Path("docs/api.md")
CONVENTIONS_FILE = "ttads/v1/common.proto"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


# --------------------------------------------------------------------------
# Tokenizer: identifiers (with dots), strings, numbers, symbols and comments,
# each with its line. Comments are attached to the next token as its leading
# comment (protoc's rule: the comment block right above, no blank line in
# between) or to the previous token as its trailing comment (same line).

class Token:
    __slots__ = ("kind", "value", "line", "end_line", "leading", "trailing")

    def __init__(self, kind, value, line, end_line=None):
        self.kind = kind
        self.value = value
        self.line = line
        self.end_line = line if end_line is None else end_line
        self.leading = []
        self.trailing = []

    def __repr__(self):
        return "Token(%s, %r, %d)" % (self.kind, self.value, self.line)


TOKEN_RE = re.compile(
    r"""
    (?P<ws>[ \t\r\f\v]+)
  | (?P<nl>\n)
  | (?P<line_comment>//[^\n]*)
  | (?P<block_comment>/\*.*?\*/)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<number>[-+]?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?))
  | (?P<ident>\.?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<sym>[{}()\[\]<>;,=:.\-+/])
    """,
    re.VERBOSE | re.DOTALL,
)


def comment_lines(text):
    """The text lines of one comment token, markers removed."""
    if text.startswith("//"):
        body = text[2:]
        return [body[1:] if body.startswith(" ") else body]
    body = text[2:-2]
    lines = []
    for raw in body.split("\n"):
        line = raw.strip()
        if line.startswith("*"):
            line = line[1:]
            if line.startswith(" "):
                line = line[1:]
        lines.append(line.rstrip())
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def tokenize(text, path):
    tokens = []
    pending = []  # comments since the last real token
    line = 1
    pos = 0
    while pos < len(text):
        match = TOKEN_RE.match(text, pos)
        if not match:
            raise SyntaxError("%s:%d: cannot read %r" % (path, line, text[pos:pos + 20]))
        kind = match.lastgroup
        value = match.group(kind)
        start_line = line
        line += value.count("\n")
        pos = match.end()
        if kind in ("ws", "nl"):
            continue
        if kind in ("line_comment", "block_comment"):
            comment = Token("comment", comment_lines(value), start_line, line)
            previous = tokens[-1] if tokens else None
            if previous is not None and not pending and previous.end_line == start_line:
                previous.trailing.extend(comment.value)
            else:
                pending.append(comment)
            continue
        token = Token(kind, value, start_line)
        # Leading comment: the last run of comments ending on the line above,
        # each directly below the previous one.
        block = []
        expected_end = start_line - 1
        for comment in reversed(pending):
            if comment.end_line != expected_end:
                break
            block.insert(0, comment)
            expected_end = comment.line - 1
        for comment in block:
            token.leading.extend(comment.value)
        pending = []
        tokens.append(token)
    return tokens


# --------------------------------------------------------------------------
# Parser.

class ProtoFile:
    def __init__(self, path):
        self.path = path
        self.package = ""
        self.header = []  # the comment above `syntax`
        self.services = []
        self.messages = []  # messages and enums, declaration order (nested after parent)


class Service:
    def __init__(self, name, comment):
        self.name = name
        self.comment = comment
        self.rpcs = []


class Rpc:
    def __init__(self, name, comment):
        self.name = name
        self.comment = comment
        self.request = ""
        self.response = ""
        self.client_streaming = False
        self.server_streaming = False
        self.http = []  # [(METHOD, path, body)], the first is the main binding


class Message:
    def __init__(self, kind, full_name, comment):
        self.kind = kind  # "message" or "enum"
        self.full_name = full_name  # relative to the package, e.g. Parent.Child
        self.comment = comment
        self.fields = []  # Field (messages) or EnumValue (enums)


class Field:
    def __init__(self, name, type_name, label, number, comment, oneof=""):
        self.name = name
        self.type_name = type_name
        self.label = label  # "", "repeated", "optional", "map"
        self.number = number
        self.comment = comment
        self.oneof = oneof
        self.key_type = ""


class EnumValue:
    def __init__(self, name, number, comment):
        self.name = name
        self.number = number
        self.comment = comment


class Parser:
    def __init__(self, tokens, path):
        self.tokens = tokens
        self.path = path
        self.pos = 0

    # -- token helpers
    def peek(self, offset=0):
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def next(self):
        token = self.peek()
        if token is None:
            raise SyntaxError("%s: unexpected end of file" % self.path)
        self.pos += 1
        return token

    def expect(self, value):
        token = self.next()
        if token.value != value:
            raise SyntaxError("%s:%d: expected %r, found %r" %
                              (self.path, token.line, value, token.value))
        return token

    def at(self, value):
        token = self.peek()
        return token is not None and token.value == value

    def skip_statement(self):
        """Skips to the end of a statement: its `;`, or a `{...}` block."""
        depth = 0
        while True:
            token = self.next()
            if token.value in ("{", "["):
                depth += 1
            elif token.value in ("}", "]"):
                depth -= 1
                if depth == 0 and not self.at(";") and token.value == "}":
                    return token
            elif token.value == ";" and depth == 0:
                return token

    # -- file
    def parse_file(self):
        proto = ProtoFile(self.path)
        first = self.peek()
        if first is not None:
            proto.header = list(first.leading)
        while self.peek() is not None:
            token = self.peek()
            if token.value == "package":
                self.next()
                proto.package = self.next().value
                self.expect(";")
            elif token.value == "message":
                self.parse_message(proto, "")
            elif token.value == "enum":
                self.parse_enum(proto, "")
            elif token.value == "service":
                proto.services.append(self.parse_service())
            elif token.value == ";":
                self.next()
            else:  # syntax, import, option, extend
                self.skip_statement()
        return proto

    # -- messages
    def parse_message(self, proto, prefix):
        start = self.expect("message")
        name = self.next().value
        message = Message("message", prefix + name, start.leading)
        proto.messages.append(message)
        self.expect("{")
        self.parse_message_body(proto, message, "")
        self.expect("}")

    def parse_message_body(self, proto, message, oneof):
        while not self.at("}"):
            token = self.peek()
            value = token.value
            if value == "message":
                self.parse_message(proto, message.full_name + ".")
            elif value == "enum":
                self.parse_enum(proto, message.full_name + ".")
            elif value == "oneof":
                self.next()
                oneof_name = self.next().value
                self.expect("{")
                self.parse_message_body(proto, message, oneof_name)
                self.expect("}")
            elif value == ";":
                self.next()
            elif value in ("option", "reserved", "extensions", "extend"):
                self.skip_statement()
            elif value == "map" and self.peek(1) is not None and self.peek(1).value == "<":
                self.next()
                self.expect("<")
                key_type = self.next().value
                self.expect(",")
                value_type = self.next().value
                self.expect(">")
                field = self.parse_field_rest(token, value_type, "map", oneof)
                field.key_type = key_type
                message.fields.append(field)
            else:
                label = ""
                if value in ("repeated", "optional", "required"):
                    label = self.next().value
                type_name = self.next().value
                message.fields.append(self.parse_field_rest(token, type_name, label, oneof))

    def parse_field_rest(self, first, type_name, label, oneof):
        name = self.next().value
        self.expect("=")
        number = self.next().value
        if self.at("["):
            depth = 0
            while True:
                token = self.next()
                if token.value == "[":
                    depth += 1
                elif token.value == "]":
                    depth -= 1
                    if depth == 0:
                        break
        end = self.expect(";")
        comment = first.leading or end.trailing
        return Field(name, type_name, label, number, comment, oneof)

    def parse_enum(self, proto, prefix):
        start = self.expect("enum")
        name = self.next().value
        enum = Message("enum", prefix + name, start.leading)
        proto.messages.append(enum)
        self.expect("{")
        while not self.at("}"):
            token = self.peek()
            if token.value == ";":
                self.next()
            elif token.value in ("option", "reserved"):
                self.skip_statement()
            else:
                value_name = self.next().value
                self.expect("=")
                number = self.next().value
                if self.at("["):
                    while self.next().value != "]":
                        pass
                end = self.expect(";")
                enum.fields.append(EnumValue(value_name, number, token.leading or end.trailing))
        self.expect("}")

    # -- services
    def parse_service(self):
        start = self.expect("service")
        service = Service(self.next().value, start.leading)
        self.expect("{")
        while not self.at("}"):
            token = self.peek()
            if token.value == "rpc":
                service.rpcs.append(self.parse_rpc())
            elif token.value == ";":
                self.next()
            else:
                self.skip_statement()
        self.expect("}")
        return service

    def parse_rpc(self):
        start = self.expect("rpc")
        rpc = Rpc(self.next().value, start.leading)
        self.expect("(")
        if self.at("stream"):
            self.next()
            rpc.client_streaming = True
        rpc.request = self.next().value
        self.expect(")")
        self.expect("returns")
        self.expect("(")
        if self.at("stream"):
            self.next()
            rpc.server_streaming = True
        rpc.response = self.next().value
        self.expect(")")
        if self.at(";"):
            self.next()
            return rpc
        self.expect("{")
        while not self.at("}"):
            if self.at("option") and self.peek(1).value == "(" and \
                    self.peek(2).value.lstrip(".") == "google.api.http":
                self.next()
                self.expect("(")
                self.next()
                self.expect(")")
                self.expect("=")
                rule = self.parse_aggregate()
                self.expect(";")
                rpc.http = http_bindings(rule)
            elif self.at(";"):
                self.next()
            else:
                self.skip_statement()
        self.expect("}")
        if self.at(";"):
            self.next()
        return rpc

    def parse_aggregate(self):
        """A text-format message value `{ key: value ... }` as a list of
        (key, value) pairs; nested messages are lists too."""
        self.expect("{")
        pairs = []
        while not self.at("}"):
            if self.at(",") or self.at(";"):
                self.next()
                continue
            key = self.next().value
            if self.at(":"):
                self.next()
            if self.at("{"):
                pairs.append((key, self.parse_aggregate()))
            else:
                token = self.next()
                value = token.value
                if token.kind == "string":
                    value = unquote(value)
                    while self.peek() is not None and self.peek().kind == "string":
                        value += unquote(self.next().value)
                pairs.append((key, value))
        self.expect("}")
        return pairs


def unquote(literal):
    body = literal[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def http_bindings(rule):
    """[(METHOD, path, body)] of a google.api.HttpRule: the main binding, then
    its additional_bindings in order."""
    method = path = ""
    body = ""
    additional = []
    for key, value in rule:
        if key in HTTP_METHODS:
            method, path = key.upper(), value
        elif key == "custom" and isinstance(value, list):
            fields = dict(value)
            method, path = fields.get("kind", "CUSTOM"), fields.get("path", "")
        elif key == "body":
            body = value
        elif key == "additional_bindings" and isinstance(value, list):
            additional.extend(http_bindings(value))
    bindings = [(method, path, body)] if method else []
    return bindings + additional


def parse_proto(path, display_path):
    text = path.read_text(encoding="utf-8")
    return Parser(tokenize(text, display_path), display_path).parse_file()


# --------------------------------------------------------------------------
# Markdown.

def escape_text(text, in_table=False):
    """Escapes HTML brackets outside `code` spans, and pipes in table cells."""
    parts = text.split("`")
    out = []
    for index, part in enumerate(parts):
        if index % 2 == 0 or index == len(parts) - 1 and len(parts) % 2 == 0:
            part = part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if in_table:
            part = part.replace("|", "\\|")
        out.append(part)
    return "`".join(out)


LIST_ITEM_RE = re.compile(r"^\s*(?:[*-]|\d+\.)\s")


def comment_block(lines):
    """A proto comment as Markdown: paragraphs and `*` lists as written;
    indented lines that are not part of a list item (aligned tables) kept as a
    preformatted block."""
    out = []
    preformatted = []
    in_list = False

    def flush():
        if preformatted:
            if out and out[-1].strip():
                out.append("")
            out.append("```text")
            out.extend(preformatted)
            out.append("```")
            out.append("")
            del preformatted[:]

    for raw in lines:
        line = raw.rstrip()
        indent = len(line) - len(line.lstrip(" "))
        if not line.strip():
            flush()
            in_list = False
            out.append("")
        elif LIST_ITEM_RE.match(line):
            flush()
            in_list = True
            out.append(escape_text(line))
        elif indent >= 2 and in_list:
            out.append(escape_text(line))  # continuation of a list item
        elif indent >= 2:
            preformatted.append(line)
        else:
            flush()
            if in_list:
                out.append("")  # end the list, or the line would join its last item
                in_list = False
            out.append(escape_text(line))
    flush()
    while out and not out[-1].strip():
        out.pop()
    return out


def first_line(lines):
    for line in lines:
        if line.strip():
            return line.strip()
    return ""


def anchor(text):
    """GitHub's heading anchor of `text`."""
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


class Resolver:
    """Finds the documented message or enum a type name refers to."""

    def __init__(self, files):
        self.known = {}
        for proto in files:
            for message in proto.messages:
                full = (proto.package + "." if proto.package else "") + message.full_name
                self.known[full] = message

    def resolve(self, type_name, package, scope=""):
        if type_name.startswith("."):
            return self.known.get(type_name[1:])
        parts = (package + ("." + scope if scope else "")).split(".") if package or scope else []
        while True:
            candidate = ".".join(parts + [type_name])
            if candidate in self.known:
                return self.known[candidate]
            if not parts:
                return None
            parts.pop()

    def link(self, type_name, package, scope=""):
        message = self.resolve(type_name, package, scope)
        if message is None:
            return "`%s`" % type_name
        return "[`%s`](#%s)" % (type_name, anchor(message.full_name))


def render(files):
    resolver = Resolver(files)
    out = []
    emit = out.append

    emit("# ttads API reference")
    emit("")
    emit("<!-- Generated by tools/gen_api_doc.py from proto/ttads/v1/*.proto. Do not edit by hand: -->")
    emit("<!-- change the .proto comments and run `python3 tools/gen_api_doc.py`. -->")
    emit("")
    emit("Every RPC is served over gRPC (`ttads-server`) and, where it has an HTTP binding, as REST/JSON "
         "through the gateway. REST request bodies and query parameters use the proto field names "
         "below; request bodies also accept each field's lowerCamelCase JSON name "
         "(`user_account_id` or `userAccountId`). Responses are written with the proto field names "
         "as listed, default values included. GET routes take their fields as query parameters; "
         "`{name}` in a path is the request field of that name. Every call needs "
         "`authorization: Bearer <credential>`.")
    emit("")
    emit("Sources: " + ", ".join("`%s`" % proto.path for proto in files) + ".")
    emit("")

    services = [(proto, service) for proto in files for service in proto.services]

    emit("## Contents")
    emit("")
    emit("- [Conventions](#conventions)")
    emit("- [Services](#services)")
    for proto, service in services:
        emit("  - [%s](#%s)" % (service.name, anchor(service.name)))
    emit("- [Messages](#messages)")
    for proto in files:
        if proto.messages:
            emit("  - [%s](#%s)" % (Path(proto.path).name, anchor(Path(proto.path).name)))
    emit("")

    emit("## Conventions")
    emit("")
    conventions = [proto for proto in files if proto.path.endswith(CONVENTIONS_FILE)]
    if conventions and conventions[0].header:
        emit("From `%s`:" % conventions[0].path)
        emit("")
        emit("```text")
        for line in conventions[0].header:
            emit(line.rstrip())
        emit("```")
    else:
        emit("See the comments of `%s`." % CONVENTIONS_FILE)
    emit("")

    emit("## Services")
    emit("")
    for proto, service in services:
        package = proto.package
        qualified = (package + "." if package else "") + service.name
        emit("### %s" % service.name)
        emit("")
        emit("`%s` (`%s`)" % (qualified, proto.path))
        emit("")
        body = comment_block(service.comment)
        if body:
            out.extend(body)
            emit("")
        emit("| RPC | HTTP | Request | Response |")
        emit("|---|---|---|---|")
        for rpc in service.rpcs:
            http = "<br>".join(escape_text("`%s %s`" % (m, p), in_table=True) for m, p, _ in rpc.http)
            emit("| [%s](#%s) | %s | %s | %s |" % (
                rpc.name, anchor(service.name + "." + rpc.name), http or "gRPC only",
                resolver.link(rpc.request, package), resolver.link(rpc.response, package)))
        emit("")
        for rpc in service.rpcs:
            emit("#### %s.%s" % (service.name, rpc.name))
            emit("")
            emit("- gRPC: `/%s/%s`" % (qualified, rpc.name))
            if rpc.http:
                for index, (method, path, body_field) in enumerate(rpc.http):
                    label = "HTTP" if index == 0 else "HTTP (additional binding)"
                    body_note = ""
                    if body_field == "*":
                        body_note = " (JSON body: the whole request)"
                    elif body_field:
                        body_note = " (JSON body: field `%s`)" % body_field
                    elif method == "GET" or method == "DELETE":
                        body_note = " (query parameters)"
                    emit("- %s: `%s %s`%s" % (label, method, path, body_note))
            else:
                emit("- HTTP: none (gRPC only)")
            request = resolver.link(rpc.request, package)
            response = resolver.link(rpc.response, package)
            emit("- Request: %s%s" % ("stream " if rpc.client_streaming else "", request))
            emit("- Response: %s%s" % ("stream " if rpc.server_streaming else "", response))
            emit("")
            body = comment_block(rpc.comment)
            if body:
                out.extend(body)
                emit("")

    emit("## Messages")
    emit("")
    for proto in files:
        if not proto.messages:
            continue
        emit("### %s" % Path(proto.path).name)
        emit("")
        for message in proto.messages:
            scope = message.full_name
            emit("#### %s" % message.full_name)
            emit("")
            kind = "enum" if message.kind == "enum" else "message"
            emit("%s `%s`" % (kind, (proto.package + "." if proto.package else "") + message.full_name))
            emit("")
            body = comment_block(message.comment)
            if body:
                out.extend(body)
                emit("")
            if message.kind == "enum":
                if message.fields:
                    emit("| Value | Number | Description |")
                    emit("|---|---|---|")
                    for value in message.fields:
                        emit("| `%s` | %s | %s |" % (value.name, value.number,
                                                    escape_text(first_line(value.comment), True)))
                else:
                    emit("No values.")
                emit("")
                continue
            if not message.fields:
                emit("No fields.")
                emit("")
                continue
            emit("| Field | Type | Description |")
            emit("|---|---|---|")
            for field in message.fields:
                if field.label == "map":
                    type_text = "map&lt;`%s`, %s&gt;" % (
                        field.key_type, resolver.link(field.type_name, proto.package, scope))
                else:
                    type_text = resolver.link(field.type_name, proto.package, scope)
                    if field.label in ("repeated", "optional"):
                        type_text = field.label + " " + type_text
                description = escape_text(first_line(field.comment), in_table=True)
                if field.oneof:
                    description = (("(oneof `%s`) " % field.oneof) + description).rstrip()
                emit("| `%s` | %s | %s |" % (field.name, type_text, description))
            emit("")

    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def generate(root):
    proto_root = root / PROTO_ROOT
    paths = sorted(proto_root.glob(PROTO_GLOB))
    if not paths:
        raise SystemExit("no .proto files under %s" % (proto_root / PROTO_GLOB))
    files = [parse_proto(path, (PROTO_ROOT / path.relative_to(proto_root)).as_posix())
             for path in paths]
    return render(files)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare docs/api.md with the .proto files instead of writing it; "
                             "exit 1 when it is stale")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the repository root (default: the parent of tools/)")
    args = parser.parse_args(argv)

    text = generate(args.root)
    output = args.root / OUTPUT
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != text:
            print("docs/api.md is stale: run tools/gen_api_doc.py", file=sys.stderr)
            return 1
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    if not output.exists() or output.read_text(encoding="utf-8") != text:
        output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
