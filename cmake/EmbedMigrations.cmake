# Run with cmake -P: writes OUTPUT, a C++ source holding every migrations/NNN_name.sql of
# MIGRATIONS_DIR, so ttads-server carries its schema and needs no files beside it.
file(GLOB migration_files "${MIGRATIONS_DIR}/[0-9][0-9][0-9]_*.sql")
list(SORT migration_files)
set(body "")
foreach(path IN LISTS migration_files)
  get_filename_component(file_name "${path}" NAME_WE)
  string(SUBSTRING "${file_name}" 0 3 version)
  string(SUBSTRING "${file_name}" 4 -1 name)
  math(EXPR version "${version}")  # drops leading zeros
  file(READ "${path}" sql)
  string(APPEND body "      {${version}, \"${name}\", R\"ttads_sql(${sql})ttads_sql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp"
"// Generated from migrations/*.sql by cmake/EmbedMigrations.cmake. Do not edit.
#include \"storage/migration_runner.h\"

namespace ttads::storage {

const std::vector<Migration>& EmbeddedMigrations() {
  static const std::vector<Migration>* const migrations = new std::vector<Migration>{
${body}  };
  return *migrations;
}

}  // namespace ttads::storage
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
