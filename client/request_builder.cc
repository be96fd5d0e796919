#include "client/request_builder.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"

namespace ttads::client {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status Bad(const FieldDescriptor& field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("--", field.name(), ": ", why));
}

bool IsWrapper(const google::protobuf::Descriptor& type) {
  return type.file()->name() == "google/protobuf/wrappers.proto";
}

absl::Status SetScalar(Message& message, const FieldDescriptor& field, absl::string_view text) {
  const Reflection& reflection = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      repeated ? reflection.AddString(&message, &field, std::string(text))
               : reflection.SetString(&message, &field, std::string(text));
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool value = false;
      if (!absl::SimpleAtob(text, &value)) return Bad(field, "expected true or false");
      repeated ? reflection.AddBool(&message, &field, value)
               : reflection.SetBool(&message, &field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t value = 0;
      if (!absl::SimpleAtoi(text, &value)) return Bad(field, "expected an integer");
      repeated ? reflection.AddInt32(&message, &field, value)
               : reflection.SetInt32(&message, &field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t value = 0;
      if (!absl::SimpleAtoi(text, &value)) return Bad(field, "expected an integer");
      repeated ? reflection.AddInt64(&message, &field, value)
               : reflection.SetInt64(&message, &field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double value = 0;
      if (!absl::SimpleAtod(text, &value)) return Bad(field, "expected a number");
      repeated ? reflection.AddDouble(&message, &field, value)
               : reflection.SetDouble(&message, &field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      float value = 0;
      if (!absl::SimpleAtof(text, &value)) return Bad(field, "expected a number");
      repeated ? reflection.AddFloat(&message, &field, value)
               : reflection.SetFloat(&message, &field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* value = field.enum_type()->FindValueByName(std::string(text));
      if (value == nullptr) return Bad(field, "unknown enum value");
      repeated ? reflection.AddEnum(&message, &field, value)
               : reflection.SetEnum(&message, &field, value);
      return absl::OkStatus();
    }
    default:
      return Bad(field, "unsupported field type");
  }
}

absl::Status SetMessage(Message& message, const FieldDescriptor& field, absl::string_view text) {
  const Reflection& reflection = *message.GetReflection();
  Message* target = field.is_repeated() ? reflection.AddMessage(&message, &field)
                                        : reflection.MutableMessage(&message, &field);
  if (IsWrapper(*field.message_type())) {
    return SetScalar(*target, *field.message_type()->FindFieldByName("value"), text);
  }
  const auto parsed = google::protobuf::util::JsonStringToMessage(std::string(text), target);
  if (!parsed.ok()) return Bad(field, absl::StrCat("expected JSON: ", parsed.ToString()));
  return absl::OkStatus();
}

void AppendLines(const Message& message, const std::string& prefix, std::string& out);

void AppendValue(const Message& message, const FieldDescriptor& field, int index,
                 const std::string& path, std::string& out) {
  const Reflection& reflection = *message.GetReflection();
  const bool repeated = field.is_repeated();
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    const Message& child = repeated ? reflection.GetRepeatedMessage(message, &field, index)
                                    : reflection.GetMessage(message, &field);
    if (IsWrapper(*field.message_type()) ||
        field.message_type()->file()->name() == "google/protobuf/struct.proto") {
      std::string json;
      google::protobuf::util::JsonPrintOptions options;
      options.preserve_proto_field_names = true;
      (void)google::protobuf::util::MessageToJsonString(child, &json, options);
      absl::StrAppend(&out, path, ": ", json, "\n");
      return;
    }
    AppendLines(child, path + ".", out);
    return;
  }
  std::string text;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      text = repeated ? reflection.GetRepeatedString(message, &field, index)
                      : reflection.GetString(message, &field);
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      text = (repeated ? reflection.GetRepeatedBool(message, &field, index)
                       : reflection.GetBool(message, &field))
                 ? "true"
                 : "false";
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      text = absl::StrCat(repeated ? reflection.GetRepeatedInt32(message, &field, index)
                                   : reflection.GetInt32(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      text = absl::StrCat(repeated ? reflection.GetRepeatedInt64(message, &field, index)
                                   : reflection.GetInt64(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      text = absl::StrCat(repeated ? reflection.GetRepeatedDouble(message, &field, index)
                                   : reflection.GetDouble(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      text = (repeated ? reflection.GetRepeatedEnum(message, &field, index)
                       : reflection.GetEnum(message, &field))
                 ->name();
      break;
    default:
      text = "?";
  }
  absl::StrAppend(&out, path, ": ", text, "\n");
}

void AppendLines(const Message& message, const std::string& prefix, std::string& out) {
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->is_repeated()) {
      const int size = message.GetReflection()->FieldSize(message, field);
      for (int i = 0; i < size; ++i) {
        AppendValue(message, *field, i, absl::StrCat(prefix, field->name(), "[", i, "]"), out);
      }
    } else {
      AppendValue(message, *field, 0, prefix + field->name(), out);
    }
  }
}

}  // namespace

absl::Status SetField(Message& message, absl::string_view path, absl::string_view value) {
  const std::vector<std::string> parts =
      absl::StrSplit(absl::StrReplaceAll(path, {{"-", "_"}}), '.');
  Message* current = &message;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field = current->GetDescriptor()->FindFieldByName(parts[i]);
    if (field == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("--", path, ": ",
                                                     current->GetDescriptor()->name(),
                                                     " has no field '", parts[i], "'"));
    }
    const bool last = i + 1 == parts.size();
    if (!last) {
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_repeated()) {
        return Bad(*field, "cannot set a sub-field of this field");
      }
      current = current->GetReflection()->MutableMessage(current, field);
      continue;
    }
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      return SetMessage(*current, *field, value);
    }
    if (field->is_repeated() && field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      for (absl::string_view element : absl::StrSplit(value, ',', absl::SkipEmpty())) {
        if (absl::Status status = SetScalar(*current, *field, absl::StripAsciiWhitespace(element));
            !status.ok()) {
          return status;
        }
      }
      return absl::OkStatus();
    }
    return SetScalar(*current, *field, value);
  }
  return absl::InvalidArgumentError("empty field path");
}

std::string ToLines(const Message& message) {
  std::string out;
  AppendLines(message, "", out);
  return out;
}

}  // namespace ttads::client
