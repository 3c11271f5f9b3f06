// The two faces of a doctor report: the one-screen text `trustbundle
// doctor` prints (every binding prints the same bytes), and JSON.
#pragma once

#include <string>

#include "doctor/doctor.h"

namespace trustbundle {

const char* verdict_name(int verdict);  // "OK", "REJECTED", "UNREACHABLE"

std::string render_doctor_text(const DoctorReport& report);
std::string render_doctor_json(const DoctorReport& report);

}  // namespace trustbundle
