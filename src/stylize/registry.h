#pragma once
// The registry: every method of every family (the colour methods, patch synthesis and
// distribution matching, the neural methods), in the order the viewer lists them. The one place
// that knows them all; everything above looks methods up here and asks their MethodInfo.
#include <memory>
#include <string>
#include <vector>

#include "methods/method.h"

namespace nt {

// All methods, in the order the viewer lists them.
const std::vector<std::unique_ptr<Method>>& method_registry();
// nullptr when no method has that name.
const Method* find_method(const std::string& name);
// Throws nt::Error listing the known names when there is no such method.
const Method& method_by_name(const std::string& name);

// The method for a model file given alone (--model FILE): the one whose model kind reads files
// with that extension, else the first method with a model kind.
const Method& method_for_model(const std::string& name_or_path);

}  // namespace nt
