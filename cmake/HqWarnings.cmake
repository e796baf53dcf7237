# Warning flags shared by every target (style.md §17); -Werror with HQ_WERROR=ON (CI).
function(hq_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
    -Wvla -Wdate-time -Wno-unused-parameter -Wno-missing-field-initializers)
  if(HQ_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(HQ_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

if(HQ_SANITIZE)
  add_link_options(-fsanitize=address,undefined)
endif()
