#ifndef OMS_TOOLS_LOADGEN_RANDOM_ORDER_H_
#define OMS_TOOLS_LOADGEN_RANDOM_ORDER_H_

// The bench's orders and catalogue names, shared by loadgen's scenarios and the store
// seeder (tools/bench:seed_store), so a seeded store holds the orders loadgen would place.
#include <random>
#include <string>

#include "oms/order/v1/order.pb.h"

namespace oms::loadgen {

// The regions of the bench's warehouses and customers.
inline constexpr const char* kRegions[] = {"East", "West", "North"};

// The catalogue's i-th product: BENCH-SKU-007.
std::string Sku(int i);

// A web order of 1-4 lines over the first `skus` products, to a random region.
order::v1::CreateOrderRequest RandomOrder(const std::string& reference, int skus,
                                          std::mt19937_64& rng);

}  // namespace oms::loadgen

#endif  // OMS_TOOLS_LOADGEN_RANDOM_ORDER_H_
