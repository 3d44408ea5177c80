// The public headers compile as C++ (extern "C", no C-only constructs).
#include <drtopo/drtopo.h>

int main()
{
	drtopo_model *m = nullptr;
	if (drtopo_model_new(&m) != DRTOPO_OK)
		return 1;
	drtopo_stack *s = nullptr;
	int rc = drtopo_model_add_stack(m, "A", nullptr, "us-east-1", &s);
	drtopo_model_free(m);
	return rc == DRTOPO_OK ? 0 : 1;
}
