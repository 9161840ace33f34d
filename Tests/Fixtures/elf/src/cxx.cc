// Uses libstdc++ (GLIBCXX_*, CXXABI_*) through strings and exceptions.
#include <stdexcept>
#include <string>
int main(int argc, char **) {
    std::string text(static_cast<std::string::size_type>(argc), 'x');
    try { if (text.size() > 5) throw std::runtime_error(text); } catch (const std::exception &) { return 1; }
    return 0;
}
