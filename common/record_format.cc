#include "common/record_format.h"

#include <google/protobuf/text_format.h>

namespace papersearch {

std::string FormatRecord(const efficient_paper::PaperInfo& info) {
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  std::string out;
  printer.PrintToString(info, &out);
  return out;
}

}  // namespace papersearch
