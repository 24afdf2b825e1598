//! Publishing tests against a real WordPress (Debian's package on a throwaway MariaDB, served
//! by `php -S`): see [`barta_tests::WordPress`].

mod harness;
